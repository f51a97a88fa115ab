-- mentions by hand: every column of the events whose request parameters hold the text, in any case.
SELECT *
FROM store
WHERE strpos(lower(requestparameters), lower($text)) > 0
  AND eventtime >= $from AND eventtime < $to
ORDER BY eventtime, eventid
