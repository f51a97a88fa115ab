-- iam-user-provenance by hand: every column of the IAM events whose parameters name the user.
SELECT *
FROM store
WHERE eventsource = 'iam.amazonaws.com'
  AND json_extract_string(requestparameters, '$.userName') = $userName
  AND eventtime >= $from AND eventtime < $to
ORDER BY eventtime, eventid
