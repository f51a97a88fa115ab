# iam-user-provenance as src/queries/iamUserProvenance.ts answers it, over `zcat | jq -c`: prints
# [eventID, eventName] of each IAM user-lifecycle write whose requestParameters.userName is
# userName (--arg), within from..to. Rows come in file order; the API sorts them by time.
[
  "CreateUser", "UpdateUser", "DeleteUser", "CreateLoginProfile", "UpdateLoginProfile",
  "DeleteLoginProfile", "CreateAccessKey", "UpdateAccessKey", "DeleteAccessKey",
  "AttachUserPolicy", "DetachUserPolicy", "PutUserPolicy", "DeleteUserPolicy",
  "PutUserPermissionsBoundary", "DeleteUserPermissionsBoundary", "AddUserToGroup",
  "RemoveUserFromGroup", "EnableMFADevice", "DeactivateMFADevice", "ResyncMFADevice",
  "CreateServiceSpecificCredential", "UploadSSHPublicKey", "UploadSigningCertificate",
  "TagUser", "UntagUser"
] as $lifecycle
# json_extract_scalar: the scalar as text; NULL for objects, arrays and null.
| def scalar: if type == "string" then . elif type == "number" or type == "boolean" then tostring else null end;
.Records[]
| select(.eventTime >= $ARGS.named.from and .eventTime < $ARGS.named.to)
| select(.eventSource == "iam.amazonaws.com")
| select(.requestParameters | type == "object" and (.userName | scalar) == $ARGS.named.userName)
| select(.eventName as $n | $lifecycle | index([$n]))
| [.eventID, .eventName]
