-- security-group-ingress by hand: every column of the ingress changes that name the group (the
-- rules inside them, and their ports, are left to whoever reads the rows).
SELECT *
FROM store
WHERE eventsource = 'ec2.amazonaws.com'
  AND eventname IN ('AuthorizeSecurityGroupIngress', 'ModifySecurityGroupRules')
  AND strpos(requestparameters, $groupId) > 0
  AND eventtime >= $from AND eventtime < $to
ORDER BY eventtime, eventid
