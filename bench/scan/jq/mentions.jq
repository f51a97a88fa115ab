# mentions as src/queries/mentions.ts answers it, over `zcat | jq -c`: prints the eventID of each
# record whose requestParameters, as JSON text, contain `text` (a plain substring: % and _ are not
# wildcards), case-insensitively unless caseSensitive is "true". A record without
# requestParameters (JSON null) never matches, as strpos over SQL NULL does not.
# Case-insensitive search is a regex of the escaped text with the "i" flag: jq 1.6's ascii_downcase
# is written in jq and made this filter 2.5 times slower. Oniguruma folds case as Unicode does, as
# DuckDB's lower() does; the two could differ only on multi-character folds (e.g. German sharp s).
(($ARGS.named.caseSensitive // "false") == "true") as $exact
| ($ARGS.named.text | gsub("(?<c>[\\\\^$.|?*+()\\[\\]{}])"; "\\\(.c)")) as $pattern
| .Records[]
| select(.eventTime >= $ARGS.named.from and .eventTime < $ARGS.named.to)
| select(.requestParameters != null)
| select(.requestParameters | tojson | if $exact then contains($ARGS.named.text) else test($pattern; "i") end)
| .eventID
