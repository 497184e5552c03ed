#!/bin/sh
# Cold start, the curl way: one curl for the token, one for the relationship request.
# Settings come from PARTNERCENTER_* (base URL, tenant, client id, refresh token).
set -eu
base=${PARTNERCENTER_BASE_URL%/}
scope='https://api.partnercenter.microsoft.com/user_impersonation offline_access'
token=$(curl -sSf "$base/$PARTNERCENTER_TENANT/oauth2/v2.0/token" \
    --data-urlencode grant_type=refresh_token \
    --data-urlencode "client_id=$PARTNERCENTER_CLIENT_ID" \
    --data-urlencode "refresh_token=$PARTNERCENTER_REFRESH_TOKEN" \
    --data-urlencode "scope=$scope" |
    sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "cold_curl.sh: no access_token in the answer" >&2; exit 1; }
# `read` is a shell builtin: new GUIDs without spawning more processes.
read -r request_id </proc/sys/kernel/random/uuid
read -r correlation_id </proc/sys/kernel/random/uuid
curl -sSf -o /dev/null "$base/v1/customers/relationshiprequests" \
    -H "Authorization: Bearer $token" \
    -H 'Accept: application/json' \
    -H "MS-RequestId: $request_id" \
    -H "MS-CorrelationId: $correlation_id" \
    -H 'X-Locale: en-US'
