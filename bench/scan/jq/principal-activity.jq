# principal-activity as src/queries/principalActivity.ts answers it, over `zcat | jq -c`:
# prints the eventID of each matching record, one per line. Named arguments (--arg), like the
# API's parameters: exactly one of userName, arn, accessKeyId, principalId; from and to (the window).
#   userName: userIdentity.userName, or an AssumedRole ARN's last segment (the session name)
#   arn: userIdentity.arn, or sessionContext.sessionIssuer.arn (a role ARN matches its sessions)
#   accessKeyId: userIdentity.accessKeyId
#   principalId: exact, or principalId starting with "<principalId>:" (a role id and its sessions)
($ARGS.named.userName // "") as $userName
| ($ARGS.named.arn // "") as $arn
| ($ARGS.named.accessKeyId // "") as $accessKeyId
| ($ARGS.named.principalId // "") as $principalId
| .Records[]
| select(.eventTime >= $ARGS.named.from and .eventTime < $ARGS.named.to)
| (.userIdentity // {}) as $u
| select(
    ($userName != "" and ($u.userName == $userName
       or ($u.type == "AssumedRole" and ($u.arn | type) == "string" and ($u.arn | split("/") | last) == $userName)))
    or ($arn != "" and ($u.arn == $arn or $u.sessionContext.sessionIssuer.arn == $arn))
    or ($accessKeyId != "" and $u.accessKeyId == $accessKeyId)
    or ($principalId != "" and ($u.principalId == $principalId
       or (($u.principalId | type) == "string" and ($u.principalId | startswith($principalId + ":")))))
  )
| .eventID
