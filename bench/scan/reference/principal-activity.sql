-- principal-activity by hand: every column of the principal's events (an IAM user by name, or an
-- assumed-role session by its name), oldest first.
SELECT *
FROM store
WHERE (useridentity.username = $userName
       OR (useridentity.type = 'AssumedRole' AND regexp_extract(useridentity.arn, '[^/]+$') = $userName))
  AND eventtime >= $from AND eventtime < $to
ORDER BY eventtime, eventid
