# security-group-ingress as src/queries/securityGroupIngress.ts and securityGroupRules.ts answer it,
# over `zcat | jq -c`: prints one row per ingress rule,
#   [eventID, group_id, protocol, from_port, to_port, cidr, source_group]
# Named arguments (--arg): groupId or groupName (exactly one), port (optional, "" for none),
# cidr ("world" by default, "any", or one CIDR), from and to (the window).
# Rules come from every shape CloudTrail records: requestParameters.ipPermissions.items[]
# (ipRanges, ipv6Ranges, groups), the flat cidrIp/cidrIpv6/sourceSecurityGroupName request,
# responseElements.securityGroupRuleSet.items[] (ingress only) and ModifySecurityGroupRules; a
# rule recorded in both request and response counts once per event (SELECT DISTINCT).
# json_extract_scalar: the scalar as text; null for objects, arrays and null.
def scalar: if type == "string" then . elif type == "number" or type == "boolean" then tostring else null end;
# try_cast(... AS integer): numbers and numeric strings; anything else null.
def port: scalar | if . == null then null else (tonumber? // null) end
  | if type == "number" and . == floor then . else null end;
def items: if type == "object" and (.items | type) == "array" then .items[] else empty end;
def rule($r; $cidr; $source): {protocol: ($r.ipProtocol | scalar), from: ($r.fromPort | port), to: ($r.toPort | port), cidr: $cidr, source: $source};
($ARGS.named.groupId // "") as $groupId
| ($ARGS.named.groupName // "") as $groupName
| (($ARGS.named.port // "") | if . == "" then null else tonumber end) as $port
| ($ARGS.named.cidr // "world") as $cidrParam
| .Records[]
| select(.eventTime >= $ARGS.named.from and .eventTime < $ARGS.named.to)
| select(.eventSource == "ec2.amazonaws.com"
    and (.eventName == "AuthorizeSecurityGroupIngress" or .eventName == "ModifySecurityGroupRules"))
| (if (.requestParameters | type) == "object" then .requestParameters else {} end) as $rp
| (if (.responseElements | type) == "object" then .responseElements else {} end) as $re
| (($rp.groupId | scalar) // ($rp.ModifySecurityGroupRulesRequest.GroupId? | scalar)
   // ([$re.securityGroupRuleSet | items][0].groupId? | scalar)) as $group
| ($rp.groupName | scalar) as $name
| select(($groupId == "" or $group == $groupId) and ($groupName == "" or $name == $groupName))
| . as $event
| [
    ($rp.ipPermissions | items | . as $p
      | (.ipRanges | items | rule($p; .cidrIp | scalar; null)),
        (.ipv6Ranges | items | rule($p; .cidrIpv6 | scalar; null)),
        (.groups | items | rule($p; null; (.groupId | scalar) // (.groupName | scalar)))),
    (select(($rp.cidrIp | scalar) != null or ($rp.cidrIpv6 | scalar) != null
        or ($rp.sourceSecurityGroupName | scalar) != null)
      | rule($rp; ($rp.cidrIp | scalar) // ($rp.cidrIpv6 | scalar); $rp.sourceSecurityGroupName | scalar)),
    ($re.securityGroupRuleSet | items
      | select(((.isEgress | scalar) // "false") == "false")
      | rule(.; (.cidrIpv4 | scalar) // (.cidrIpv6 | scalar); .referencedGroupInfo.groupId? | scalar)),
    (select($event.eventName == "ModifySecurityGroupRules")
      | ($rp.ModifySecurityGroupRulesRequest.SecurityGroupRule.SecurityGroupRule? // {}) as $m
      | {protocol: ($m.IpProtocol | scalar), from: ($m.FromPort | port), to: ($m.ToPort | port),
         cidr: (($m.CidrIpv4 | scalar) // ($m.CidrIpv6 | scalar)), source: ($m.ReferencedGroupId | scalar)})
  ]
| unique[]
| select($port == null or .protocol == "-1"
    or (.from != null and .to != null and .from <= $port and $port <= .to))
| select($cidrParam == "any"
    or ($cidrParam == "world" and (.cidr == "0.0.0.0/0" or .cidr == "::/0"))
    or .cidr == $cidrParam)
| [$event.eventID, $group, .protocol, .from, .to, .cidr, .source]
