#!/usr/bin/env bash
# API tests of `mcred serve` over real HTTP on loopback (curl): every
# endpoint's happy path and bad input (malformed JSON, duplicate keys,
# oversize body -> 413, wrong content type -> 415, missing token -> 401,
# wrong role -> 403, unknown id -> 404, wrong method -> 405, missing CSRF
# -> 403, rate limit -> 429), the OpenAPI document against the route
# table, header limits and a graceful shutdown with a request in flight.
# Runs on SQLite, and on PostgreSQL when MCRED_TEST_PG is set.
# MCRED=path/to/mcred (the sanitizer build in `make check`; the server's
# stderr is scanned for sanitizer reports). Prints "server: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
MCRED=${MCRED:-build/mcred}
export MCRED_PASSPHRASE="server test passphrase"
command -v curl >/dev/null && command -v jq >/dev/null || { echo "server: curl and jq are required"; echo "server: 0 passed, 1 failed"; exit 1; }
source tests/server/lib.sh
# wait_job JOB TOKEN [TRIES]: poll a bulk job until it is not running; its answer in $t/b
wait_job() {
	for _ in $(seq 1 "${3:-600}"); do
		curl -s -H "Authorization: Bearer $2" "$BASE/api/v1/bulk/$1" >"$t/b"
		jq -e '.state != "running"' "$t/b" >/dev/null && return; sleep 0.1
	done
}

# ---- fixtures
$MCRED key new --out "$t/k.json" --fast-kdf >/dev/null 2>&1
$MCRED key new --out "$t/kd.json" --fast-kdf >/dev/null 2>&1
didkey=$($MCRED key show "$t/kd.json" --json | jq -r .did)
jq '.id = "did:web:uni.example" | .url = "https://uni.example"' examples/issuer.json >"$t/issuer.json"
jq --arg d "$didkey" '.id = $d' examples/issuer.json >"$t/dkissuer.json"
jq '.id = "https://uni.example/ach/ds101"' examples/achievement.json >"$t/ach.json"
# a did:key credential (verifies offline) and a tampered twin
$MCRED issue --achievement "$t/ach.json" --issuer "$t/dkissuer.json" --learner examples/learner.json --key "$t/kd.json" --out "$t/valid.json" >/dev/null 2>&1
jq '.credentialSubject.achievement.name = "Tampered"' "$t/valid.json" >"$t/tampered.json"
head -c 2000000 /dev/zero | tr '\0' ' ' >"$t/big.txt"; printf '{}' >>"$t/big.txt"      # 2 MB JSON
head -c 5000000 /dev/zero | tr '\0' ' ' >"$t/huge.txt"; printf '{}' >>"$t/huge.txt"    # 5 MB JSON

suite() {
	local S=$1
	$MCRED init --store "$S" >/dev/null 2>&1
	$MCRED issuer add --store "$S" --issuer "$t/issuer.json" --key "$t/k.json" >/dev/null 2>&1 || bad "issuer add"
	local TOK="$t/$be.tokens"
	admin=$($MCRED token add --tokens "$TOK" --name ops --role admin 2>/dev/null)
	issuer=$($MCRED token add --tokens "$TOK" --name sis --role issuer 2>/dev/null)
	reader=$($MCRED token add --tokens "$TOK" --name ro --role reader 2>/dev/null)
	[ ${#admin} = 47 ] && [ ${#issuer} = 47 ] && [ ${#reader} = 47 ] && ok || bad "token add prints 47-char tokens"
	$MCRED token add --tokens "$TOK" --name ops --role admin >/dev/null 2>&1 && bad "token add duplicate name" || ok
	$MCRED token add --tokens "$TOK" --name x --role boss >/dev/null 2>&1; [ $? = 2 ] && ok || bad "token add bad role exit 2"
	[ "$(stat -c %a "$TOK")" = 600 ] && ok || bad "token file mode 0600"
	grep -q "${admin#mct_}" "$TOK" && bad "token stored in clear" || ok
	$MCRED token list --tokens "$TOK" >"$t/list" 2>&1
	grep -q "^ops	admin" "$t/list" && grep -q "^ro	reader" "$t/list" && ok || bad "token list"
	spare=$($MCRED token add --tokens "$TOK" --name spare --role admin 2>/dev/null)

	start_server "$be" --store "$S" --tokens "$TOK" --rate-limit 0 || return
	local pid=$PID
	A=(-H "Authorization: Bearer $admin"); I=(-H "Authorization: Bearer $issuer"); R=(-H "Authorization: Bearer $reader")
	J=(-H "Content-Type: application/json")

	# --- public
	req healthz 200 GET /healthz
	jqt "healthz body" ".status == \"ok\" and .store == \"$be\""
	for h in "content-security-policy: default-src 'self'" "x-content-type-options: nosniff" "referrer-policy: no-referrer" "x-frame-options: DENY" "strict-transport-security: max-age"; do hdr "healthz $h" "$h"; done
	req "unknown path" 404 GET /nope
	problem "unknown path" not-found
	hdr "404 has security headers" "x-frame-options: DENY"
	req "wrong method" 405 DELETE /healthz
	problem "wrong method" method-not-allowed
	hdr "405 Allow" "allow: GET"
	req "openapi" 200 GET /openapi.json
	jqt "openapi 3.1" '.openapi == "3.1.0" and (.paths | length) > 20'
	cp "$t/b" "$t/openapi.json"
	# portal files (web/, from the portal branch): served with ETags when built in
	if [ -f web/index.html ]; then
		for pg in / /verify /admin /c/AAAAAAAAAAAAAAAAAAAAAA; do
			req "page $pg" 200 GET "$pg"; hdr "page $pg html" "content-type: text/html"; hdr "page $pg csp" "content-security-policy"
		done
		req "page /verify again" 200 GET /verify
		local pe; pe=$(grep -i '^etag:' "$t/h" | cut -d' ' -f2- | tr -d '\r')
		req "page 304" 304 GET /verify -H "If-None-Match: $pe"
		for f in $(cd web && find assets -type f); do req "asset $f" 200 GET "/$f"; done
	else
		req "page without web/" 404 GET /verify
	fi
	req "asset traversal" 404 GET "/assets/../index.html" --path-as-is
	req "asset unknown" 404 GET /assets/nope.js
	req "did.json" 200 GET /.well-known/did.json
	jqt "did doc" '.id == "did:web:uni.example" and (.verificationMethod | length) == 1 and (.assertionMethod | length) == 1'
	hdr "did.json cacheable" "cache-control: public"

	# --- verifier
	req "verify valid" 200 POST /api/v1/verify "${J[@]}" --data-binary @"$t/valid.json"
	jqt "verify valid verified" '.verified == true and (.checks | length) > 3 and all(.checks[]; .result != "fail")'
	jqt "verify valid messages" 'all(.checks[]; (.message | length) > 0)'
	jqt "verify EU summary" '.credential.title != null and .credential.issuer.country != null and (.credential.learningOutcomes | length) > 0'
	req "verify vc+ld+json" 200 POST /api/v1/verify -H "Content-Type: application/vc+ld+json" --data-binary @"$t/valid.json"
	req "verify tampered" 200 POST /api/v1/verify "${J[@]}" --data-binary @"$t/tampered.json"
	jqt "verify tampered fails signature" '.verified == false and any(.checks[]; .check == "signature" and .result == "fail")'
	req "verify not a credential" 200 POST /api/v1/verify "${J[@]}" -d '{"a":1}'
	jqt "verify not a credential is false" '.verified == false'
	req "verify malformed" 400 POST /api/v1/verify "${J[@]}" -d '{"a":'
	problem "verify malformed" bad-json
	req "verify duplicate key" 400 POST /api/v1/verify "${J[@]}" -d '{"a":1,"a":2}'
	problem "verify duplicate key" bad-json '$.a'
	req "verify lone surrogate" 400 POST /api/v1/verify "${J[@]}" -d '{"a":"\ud800"}'
	req "verify empty" 400 POST /api/v1/verify "${J[@]}"
	req "verify wrong type" 415 POST /api/v1/verify -H "Content-Type: text/plain" --data-binary @"$t/valid.json"
	problem "verify wrong type" unsupported-media-type Content-Type
	req "verify no type" 415 POST /api/v1/verify -H "Content-Type:" --data-binary @"$t/valid.json"
	req "verify oversize" 413 POST /api/v1/verify "${J[@]}" --data-binary @"$t/big.txt"
	problem "verify oversize" too-large
	req "verify oversize chunked" 413 POST /api/v1/verify "${J[@]}" -H "Transfer-Encoding: chunked" -H "Expect:" --data-binary @"$t/big.txt"
	req "verify GET" 405 GET /api/v1/verify
	req "healthz after oversize" 200 GET /healthz

	# --- auth
	req "no token" 401 GET /api/v1/templates
	problem "no token" unauthorized
	hdr "401 WWW-Authenticate" "www-authenticate: Bearer"
	req "bad token" 401 GET /api/v1/templates -H "Authorization: Bearer mct_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	req "not bearer" 401 GET /api/v1/templates -H "Authorization: Basic b3BzOm9wcw=="
	req "reader lists" 200 GET /api/v1/templates "${R[@]}"
	req "reader cannot save" 403 POST /api/v1/templates "${R[@]}" "${J[@]}" -d '{}'
	problem "reader cannot save" forbidden
	req "issuer cannot export learner" 403 GET /api/v1/learners/did:example:x "${I[@]}"
	$MCRED token revoke --tokens "$TOK" spare >/dev/null 2>&1 && ok || bad "token revoke"
	req "revoked token refused at once" 401 GET /api/v1/templates -H "Authorization: Bearer $spare"
	$MCRED token revoke --tokens "$TOK" spare >/dev/null 2>&1; [ $? = 3 ] && ok || bad "token revoke unknown exit 3"
	# an unauthenticated upload is refused before its body is read
	req "bulk no token" 401 POST /api/v1/bulk -H "Content-Type: text/csv" --data-binary @"$t/huge.txt"

	# --- templates
	jq -n --slurpfile a "$t/ach.json" '{id:"ds101", template:$a[0]}' >"$t/tpl.json"
	req "template save" 201 POST /api/v1/templates "${I[@]}" "${J[@]}" --data-binary @"$t/tpl.json"
	jqt "template v1 draft" '.id == "ds101" and .version == 1 and .state == "draft"'
	req "template save same" 201 POST /api/v1/templates "${I[@]}" "${J[@]}" --data-binary @"$t/tpl.json"
	jqt "template same stays v1" '.version == 1'
	req "template invalid" 400 POST /api/v1/templates "${I[@]}" "${J[@]}" -d '{"id":"bad","template":{"title":"x"}}'
	problem "template invalid" bad-field
	jqt "template invalid lists every problem" '(.errors | length) >= 2'
	req "template not object" 400 POST /api/v1/templates "${I[@]}" "${J[@]}" -d '{"id":"bad","template":3}'
	problem "template not object" bad-field '$.template'
	req "template malformed" 400 POST /api/v1/templates "${I[@]}" "${J[@]}" -d '{"id":'
	req "template dup key" 400 POST /api/v1/templates "${I[@]}" "${J[@]}" -d '{"id":"a","id":"b"}'
	req "template array body" 400 POST /api/v1/templates "${I[@]}" "${J[@]}" -d '[1]'
	req "template wrong type" 415 POST /api/v1/templates "${I[@]}" -H "Content-Type: text/csv" -d 'a,b'
	req "template oversize" 413 POST /api/v1/templates "${I[@]}" "${J[@]}" --data-binary @"$t/huge.txt"
	req "template list" 200 GET /api/v1/templates "${R[@]}"
	jqt "template list has ds101" 'any(.[]; .id == "ds101" and .version == 1 and .state == "draft" and .title != null)'
	req "template get" 200 GET /api/v1/templates/ds101 "${R[@]}"
	jqt "template get versions" '.id == "ds101" and (.versions | length) == 1 and .versions[0].template.title != null'
	req "template get unknown" 404 GET /api/v1/templates/nope "${R[@]}"
	problem "template get unknown" not-found
	req "template publish reader" 403 POST /api/v1/templates/ds101/publish "${R[@]}"
	req "template publish" 200 POST /api/v1/templates/ds101/publish "${I[@]}"
	jqt "template published" '.state == "published" and .version == 1'
	req "template publish bad version" 400 POST /api/v1/templates/ds101/publish "${I[@]}" "${J[@]}" -d '{"version":"1"}'
	problem "template publish bad version" bad-field '$.version'
	req "template publish unknown version" 404 POST /api/v1/templates/ds101/publish "${I[@]}" "${J[@]}" -d '{"version":9}'
	req "template publish unknown" 404 POST /api/v1/templates/nope/publish "${I[@]}"
	jq '.template.title = "Data Science 101 (2027)"' "$t/tpl.json" >"$t/tpl2.json"
	req "template new version" 201 POST /api/v1/templates "${I[@]}" "${J[@]}" --data-binary @"$t/tpl2.json"
	jqt "template v2 draft" '.version == 2 and .state == "draft"'

	# --- session, cookie, CSRF
	curl -s -c "$t/jar" -o "$t/b" -D "$t/h" "${J[@]}" -d "{\"token\":\"$issuer\"}" "$BASE/api/v1/session"
	jqt "login answer" '.role == "issuer" and .name == "sis" and (.csrf | length) == 43'
	hdr "session cookie HttpOnly" "set-cookie: mcred_session=.*HttpOnly"
	hdr "session cookie SameSite" "SameSite=Strict"
	csrf=$(jq -r .csrf "$t/b")
	req "login bad token" 401 POST /api/v1/session "${J[@]}" -d '{"token":"nope"}'
	req "login no token" 400 POST /api/v1/session "${J[@]}" -d '{}'
	problem "login no token" bad-field '$.token'
	req "session get" 200 GET /api/v1/session -b "$t/jar"
	jqt "session get csrf" ".csrf == \"$csrf\""
	req "session with bearer is not a session" 401 GET /api/v1/session "${A[@]}"
	req "cookie GET" 200 GET /api/v1/templates -b "$t/jar"
	req "cookie write without CSRF" 403 POST /api/v1/templates -b "$t/jar" "${J[@]}" --data-binary @"$t/tpl.json"
	problem "cookie write without CSRF" forbidden X-CSRF-Token
	req "cookie write wrong CSRF" 403 POST /api/v1/templates -b "$t/jar" -H "X-CSRF-Token: x$csrf" "${J[@]}" --data-binary @"$t/tpl.json"
	req "cookie write with CSRF" 201 POST /api/v1/templates -b "$t/jar" -H "X-CSRF-Token: $csrf" "${J[@]}" --data-binary @"$t/tpl.json"
	# a session ends with its token
	tmp=$($MCRED token add --tokens "$TOK" --name temp --role reader 2>/dev/null)
	curl -s -c "$t/jar2" -o /dev/null "${J[@]}" -d "{\"token\":\"$tmp\"}" "$BASE/api/v1/session"
	req "temp session works" 200 GET /api/v1/templates -b "$t/jar2"
	$MCRED token revoke --tokens "$TOK" temp >/dev/null 2>&1
	req "session of a revoked token" 401 GET /api/v1/templates -b "$t/jar2"
	req "logout without CSRF" 403 DELETE /api/v1/session -b "$t/jar"
	req "logout" 200 DELETE /api/v1/session -b "$t/jar" -H "X-CSRF-Token: $csrf"
	req "session after logout" 401 GET /api/v1/session -b "$t/jar"
	req "bogus cookie" 401 GET /api/v1/templates -H "Cookie: mcred_session=AAAA"

	# --- credentials and learners that need no issuer key
	req "credential unknown" 404 GET /api/v1/credentials/urn:uuid:00000000-0000-4000-8000-000000000000 "${R[@]}"
	problem "credential unknown" not-found
	req "credential no token" 401 GET /api/v1/credentials/urn:uuid:x
	req "encoded id" 404 GET /api/v1/credentials/urn%3Auuid%3A00000000-0000-4000-8000-000000000000 "${R[@]}"
	jqt "encoded id reaches the handler" '.detail != "no such page or endpoint"'
	req "learner export" 200 GET /api/v1/learners/did:example:nobody "${A[@]}"
	jqt "learner export body" '.learnerId == "did:example:nobody" and (.credentials | length) == 0'
	req "learner erase reader" 403 DELETE /api/v1/learners/did:example:nobody "${R[@]}"
	req "learner erase" 200 DELETE /api/v1/learners/did:example:nobody "${A[@]}"
	jqt "learner erase count" '.erased == 0'
	req "learner erase GET-only path method" 405 PUT /api/v1/learners/x "${A[@]}"
	issuer_suite

	# --- OpenAPI vs the route table: every route documented, every documented path answers
	"$MCRED" serve --routes >"$t/routes"
	while read -r m p _; do
		local np; np=$(echo "$p" | sed -E 's/\{[^}]*\}/{}/g')
		if jq -r '.paths | to_entries[] | .key as $k | .value | keys[] | "\(.|ascii_upcase) \($k)"' "$t/openapi.json" | sed -E 's/\{[^}]*\}/{}/g' | grep -qx "$m $np"; then ok; else bad "route $m $p not in openapi.json"; fi
	done <"$t/routes"
	jq -r '.paths | to_entries[] | .key as $k | .value | keys[] | "\(.|ascii_upcase) \($k)"' "$t/openapi.json" >"$t/documented"
	while read -r m p; do
		local u; u=$(echo "$p" | sed -E 's/\{[^}]*\}/x/g')
		code=$(curl -s -o "$t/b" -w '%{http_code}' -X "$m" "${A[@]}" "$BASE$u")
		if [ "$code" = 405 ] || grep -q '"no such page or endpoint"' "$t/b"; then bad "documented $m $p answers $code"; else ok; fi
	done <"$t/documented"

	# --- limits: a header flood is refused, the server lives on
	big=$(head -c 40000 /dev/zero | tr '\0' a)
	code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $big" "$BASE/healthz")
	[ "$code" != 200 ] && ok || bad "40 KB header accepted"
	req "alive after header flood" 200 GET /healthz

	# --- access log: route templates, never ids, tokens or query strings
	grep -q '"route":"/api/v1/templates/{id}/publish"' "$t/$be.log" && ok || bad "access log route template"
	grep -q 'ds101\|did:example\|mct_\|Bearer' "$t/$be.log" && bad "access log leaks ids or tokens" || ok
	jq -c . "$t/$be.log" >/dev/null 2>&1 && ok || bad "access log is JSON lines"

	stop_server "$pid" "$be"
}

# issuer_suite: endpoints backed by the issuer service (src/issuer)
issuer_suite() {
	local L; L=$(jq -c . examples/learner.json)
	local lid; lid=$(jq -r .id examples/learner.json)
	req "issue" 201 POST /api/v1/credentials "${I[@]}" "${J[@]}" -d "{\"template\":\"ds101\",\"learner\":$L,\"externalId\":\"e1\"}"
	jqt "issue answer" '(.id | startswith("urn:uuid:")) and .existed == false and .credential.proof != null'
	local cid; cid=$(jq -r .id "$t/b"); jq .credential "$t/b" >"$t/issued.json"
	req "issue repeat" 200 POST /api/v1/credentials "${I[@]}" "${J[@]}" -d "{\"template\":\"ds101\",\"learner\":$L,\"externalId\":\"e1\"}"
	jqt "issue repeat existed" ".existed == true and .id == \"$cid\""
	req "issue no template" 400 POST /api/v1/credentials "${I[@]}" "${J[@]}" -d "{\"learner\":$L}"
	problem "issue no template" bad-field '$.template'
	req "issue unknown template" 400 POST /api/v1/credentials "${I[@]}" "${J[@]}" -d "{\"template\":\"nope\",\"learner\":$L}"
	problem "issue unknown template" bad-field '$.template'
	req "issue learner not object" 400 POST /api/v1/credentials "${I[@]}" "${J[@]}" -d '{"template":"ds101","learner":"x"}'
	problem "issue learner not object" bad-field '$.learner'
	req "issue bad learner field" 400 POST /api/v1/credentials "${I[@]}" "${J[@]}" -d '{"template":"ds101","learner":{"id":"did:example:q","email":"not-an-email"}}'
	jqt "issue bad learner names the field" '.field | startswith("$.learner")'
	req "issue externalId type" 400 POST /api/v1/credentials "${I[@]}" "${J[@]}" -d "{\"template\":\"ds101\",\"learner\":$L,\"externalId\":5}"
	req "issue malformed" 400 POST /api/v1/credentials "${I[@]}" "${J[@]}" -d '{"template":'
	req "issue dup key" 400 POST /api/v1/credentials "${I[@]}" "${J[@]}" -d '{"template":"a","template":"b"}'
	req "issue wrong type" 415 POST /api/v1/credentials "${I[@]}" -H "Content-Type: text/plain" -d '{}'
	req "issue oversize" 413 POST /api/v1/credentials "${I[@]}" "${J[@]}" --data-binary @"$t/huge.txt"
	req "issue reader" 403 POST /api/v1/credentials "${R[@]}" "${J[@]}" -d '{}'
	req "issue no token" 401 POST /api/v1/credentials "${J[@]}" -d '{}'

	req "verify issued (did:web via the server's DID document, status checked)" 200 POST /api/v1/verify "${J[@]}" --data-binary @"$t/issued.json"
	jqt "issued verifies" '.verified == true'
	jqt "issued status checked" 'any(.checks[]; .check == "status" and .result == "pass")'
	req "credential get" 200 GET /api/v1/credentials/$cid "${R[@]}"
	req "credential get, id %-encoded" 200 GET "/api/v1/credentials/${cid//:/%3A}" "${R[@]}"
	jqt "credential get body" ".id == \"$cid\" and .state == \"active\" and .credential.proof != null and .share == null"
	req "search" 200 GET "/api/v1/credentials?limit=10" "${R[@]}"
	jqt "search body" "(.items | length) >= 1 and .total >= 1 and any(.items[]; .id == \"$cid\" and .state == \"active\")"
	req "search state filter" 200 GET "/api/v1/credentials?state=revoked" "${R[@]}"
	jqt "search none revoked" '.total == 0'
	req "search bad state" 400 GET "/api/v1/credentials?state=gone" "${R[@]}"
	problem "search bad state" bad-field state
	req "search bad limit" 400 GET "/api/v1/credentials?limit=0" "${R[@]}"
	req "search bad offset" 400 GET "/api/v1/credentials?offset=-1" "${R[@]}"

	# status list: public, cacheable, ETag / 304
	local list; list=$(jq -r '[.credentialStatus] | flatten | .[0].statusListCredential' "$t/issued.json")
	local lpath=${list#https://uni.example}
	req "status list" 200 GET "$lpath"
	jqt "status list body" '(.type | index("BitstringStatusListCredential")) != null and .proof != null'
	hdr "status list ETag" "etag: \""
	hdr "status list cache" "cache-control: public, max-age=300"
	local etag; etag=$(grep -i '^etag:' "$t/h" | cut -d' ' -f2- | tr -d '\r')
	req "status list 304" 304 GET "$lpath" -H "If-None-Match: $etag"

	# share, public page data, QR
	req "share" 201 POST /api/v1/credentials/$cid/share "${I[@]}"
	jqt "share answer" '(.share | length) >= 22 and (.url | startswith("/c/"))'
	local share; share=$(jq -r .share "$t/b")
	req "share again same id" 201 POST /api/v1/credentials/$cid/share "${I[@]}"
	jqt "share stable" ".share == \"$share\""
	req "share unknown credential" 404 POST /api/v1/credentials/urn:uuid:00000000-0000-4000-8000-000000000000/share "${I[@]}"
	req "share reader" 403 POST /api/v1/credentials/$cid/share "${R[@]}"
	req "credential shows its share" 200 GET /api/v1/credentials/$cid "${R[@]}"
	jqt "credential share id" ".share == \"$share\""
	req "shared json" 200 GET /c/$share.json
	jqt "shared json is the credential" ".id == \"$cid\""
	req "shared qr" 200 GET /c/$share/qr.svg
	hdr "qr svg type" "content-type: image/svg+xml"
	grep -q '<svg' "$t/b" && grep -q '<path' "$t/b" && ok || bad "qr is an svg with a path"
	req "share unknown" 404 GET /c/AAAAAAAAAAAAAAAAAAAAAA.json
	req "share malformed" 404 GET /c/nope.json
	req "qr unknown" 404 GET /c/nope/qr.svg
	req "status unknown" 404 GET /status/revocation/999

	# suspend, reinstate, revoke: the verification turns red
	req "suspend no reason" 400 POST /api/v1/credentials/$cid/suspend "${I[@]}" "${J[@]}" -d '{}'
	problem "suspend no reason" bad-field '$.reason'
	req "suspend empty body" 400 POST /api/v1/credentials/$cid/suspend "${I[@]}"
	req "suspend reader" 403 POST /api/v1/credentials/$cid/suspend "${R[@]}" "${J[@]}" -d '{"reason":"x"}'
	req "suspend" 200 POST /api/v1/credentials/$cid/suspend "${I[@]}" "${J[@]}" -d '{"reason":"under review"}'
	jqt "suspended" '.state == "suspended"'
	req "suspended in the store" 200 GET /api/v1/credentials/$cid "${R[@]}"
	jqt "suspended state" '.state == "suspended" and .reason == "under review"'
	# published on the paired suspension list: verifiers see it (and only it)
	req "verify suspended" 200 POST /api/v1/verify "${J[@]}" --data-binary @"$t/issued.json"
	jqt "suspended does not verify" '.verified == false and any(.checks[]; .check == "status" and .result == "fail" and (.message | test("suspended")))'
	req "reinstate" 200 POST /api/v1/credentials/$cid/reinstate "${I[@]}" "${J[@]}" -d '{"reason":"review closed"}'
	req "verify reinstated" 200 POST /api/v1/verify "${J[@]}" --data-binary @"$t/issued.json"
	jqt "reinstated verifies" '.verified == true'
	req "revoke" 200 POST /api/v1/credentials/$cid/revoke "${I[@]}" "${J[@]}" -d '{"reason":"fraud"}'
	jqt "revoked" '.state == "revoked"'
	req "verify revoked" 200 POST /api/v1/verify "${J[@]}" --data-binary @"$t/issued.json"
	jqt "revoked does not verify" '.verified == false and any(.checks[]; .check == "status" and .result == "fail")'
	req "status list changed" 200 GET "$lpath" -H "If-None-Match: $etag"
	req "reinstate revoked" 409 POST /api/v1/credentials/$cid/reinstate "${I[@]}" "${J[@]}" -d '{"reason":"oops"}'
	problem "reinstate revoked" conflict
	req "revoke unknown" 404 POST /api/v1/credentials/urn:uuid:00000000-0000-4000-8000-000000000000/revoke "${I[@]}" "${J[@]}" -d '{"reason":"x"}'

	# reissue
	req "issue second" 201 POST /api/v1/credentials "${I[@]}" "${J[@]}" -d "{\"template\":\"ds101\",\"learner\":$L,\"externalId\":\"e2\"}"
	local c2; c2=$(jq -r .id "$t/b")
	req "reissue" 201 POST /api/v1/credentials/$c2/reissue "${I[@]}"
	jqt "reissue new id" ".id != \"$c2\" and .credential.proof != null"
	req "reissued original revoked" 200 GET /api/v1/credentials/$c2 "${R[@]}"
	jqt "original revoked" '.state == "revoked"'
	req "reissue bad learner" 400 POST /api/v1/credentials/$c2/reissue "${I[@]}" "${J[@]}" -d '{"learner":3}'
	req "reissue unknown" 404 POST /api/v1/credentials/urn:uuid:00000000-0000-4000-8000-000000000000/reissue "${I[@]}"

	# bulk: CSV and JSON Lines in background jobs with progress
	{
		echo "learner_id,given_name,family_name,email,external_id,grade"
		for i in $(seq 1 30); do echo "did:example:b$i,Anna$i,Berg,b$i@uni.example,bx-$i,1"; done
		echo "did:example:bad,Bad,Row,not-an-email,bx-bad,1"
	} >"$t/bulk.csv"
	req "bulk reader" 403 POST "/api/v1/bulk?template=ds101" "${R[@]}" -H "Content-Type: text/csv" --data-binary @"$t/bulk.csv"
	req "bulk wrong type" 415 POST "/api/v1/bulk?template=ds101" "${I[@]}" "${J[@]}" --data-binary @"$t/bulk.csv"
	req "bulk empty" 400 POST "/api/v1/bulk?template=ds101" "${I[@]}" -H "Content-Type: text/csv"
	req "bulk bad flag" 400 POST "/api/v1/bulk?template=ds101&allOrNothing=yes" "${I[@]}" -H "Content-Type: text/csv" --data-binary @"$t/bulk.csv"
	req "bulk start" 202 POST "/api/v1/bulk?template=ds101" "${I[@]}" -H "Content-Type: text/csv" --data-binary @"$t/bulk.csv"
	local job; job=$(jq -r .job "$t/b")
	hdr "bulk Location" "location: /api/v1/bulk/$job"
	wait_job "$job" "$reader"
	jqt "bulk done" '.state == "done" and .rows == 31 and .issued == 30 and .rejected == 1 and .bytesRead == .bytesTotal'
	jqt "bulk error row" 'any(.errors[]; .row == 32 and (.field | test("email")))'
	req "bulk rerun" 202 POST "/api/v1/bulk?template=ds101" "${I[@]}" -H "Content-Type: text/csv" --data-binary @"$t/bulk.csv"
	job=$(jq -r .job "$t/b")
	wait_job "$job" "$reader"
	jqt "bulk rerun idempotent" '.state == "done" and .issued == 0 and .existing == 30'
	printf '%s\n' '{"id":"did:example:j1","givenName":"Jo","familyName":"Line","externalId":"j-1"}' >"$t/bulk.jsonl"
	req "bulk jsonl" 202 POST "/api/v1/bulk?template=ds101" "${I[@]}" -H "Content-Type: application/x-ndjson" --data-binary @"$t/bulk.jsonl"
	req "bulk unknown job" 404 GET /api/v1/bulk/nope "${R[@]}"
	req "bulk job no token" 401 GET /api/v1/bulk/$job

	# learner rights
	req "learner export" 200 GET "/api/v1/learners/$lid" "${A[@]}"
	jqt "learner export has credentials" "(.credentials | length) >= 2"
	req "learner erase" 200 DELETE "/api/v1/learners/$lid" "${A[@]}"
	jqt "learner erased" '.erased >= 2'
	req "shared after erasure" 404 GET /c/$share.json
}

be=sqlite; suite "$t/s.db"
if [ -n "${MCRED_TEST_PG:-}" ]; then
	db="mcred_srv_$$"; pgdbs+=("$db")
	psql "$MCRED_TEST_PG" -qc "create database $db" >/dev/null 2>&1 || bad "create pg database"
	be=postgresql; suite "${MCRED_TEST_PG/\/postgres\?//$db?}"
fi

# --- configuration: file, environment, flags; bad values stop the start
be=config
printf '# test\nrate-limit = 1\nrate-burst = 2\nport = 0\n' >"$t/good.conf"
printf 'rate-limit = 1\nbogus = 3\n' >"$t/bad.conf"
expect_exit() { local want=$1 name=$2; shift 2; "$@" >/dev/null 2>"$t/err"; local rc=$?; [ "$rc" = "$want" ] && ok || { bad "$name: exit $rc, want $want"; head -3 "$t/err"; }; }
expect_exit 2 "unknown config key" "$MCRED" serve --config "$t/bad.conf" --store "$t/c.db"
grep -q "config line 2: unknown key 'bogus'" "$t/err" && ok || bad "config error names the line"
expect_exit 2 "missing config file" "$MCRED" serve --config "$t/none.conf" --store "$t/c.db"
expect_exit 2 "bad port" "$MCRED" serve --port 70000 --store "$t/c.db"
expect_exit 2 "bad env value" env MCRED_RATE_LIMIT=fast "$MCRED" serve --store "$t/c.db"
expect_exit 2 "unknown flag" "$MCRED" serve --nope 1
expect_exit 3 "wrong passphrase stops the start" env MCRED_PASSPHRASE=wrong "$MCRED" serve --store "$t/s.db" --port 0
# the file's rate limit applies (2 burst, 1/s), the flag overrides the file's port
MCRED_ACCESS_LOG=off start_server cf --config "$t/good.conf" --store "$t/c.db" && {
	codes=""
	for _ in 1 2 3 4; do codes="$codes $(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz")"; done
	case "$codes" in *429*) ok ;; *) bad "config file rate limit not applied:$codes" ;; esac
	grep -q '"route"' "$t/cf.log" && bad "MCRED_ACCESS_LOG=off ignored" || ok
	stop_server "$PID" cf
}

# --- rate limit: 3 burst, 1/s
be=ratelimit
start_server rl --store "$t/rl.db" --rate-limit 1 --rate-burst 3 && {
	codes=""
	for _ in 1 2 3 4 5; do codes="$codes $(curl -s -o "$t/b" -D "$t/h" -w '%{http_code}' "$BASE/healthz")"; done
	case "$codes" in *429*) ok ;; *) bad "no 429 in$codes" ;; esac
	problem "rate limited" rate-limited
	hdr "Retry-After" "retry-after: [0-9]"
	stop_server "$PID" rl
}

# --- graceful shutdown: a slow upload in flight when SIGTERM arrives still gets its answer
be=shutdown
start_server gs --store "$t/gs.db" --rate-limit 0 && {
	# a slow upload: a 300 KB credential-shaped body at 100 KB/s
	head -c 300000 /dev/zero | tr '\0' a >"$t/pad.txt"
	jq --rawfile pad "$t/pad.txt" '.pad = $pad' "$t/valid.json" >"$t/padded.json"
	curl -s -o "$t/slow" -w '%{http_code}' --limit-rate 100k -H "Content-Type: application/json" --data-binary @"$t/padded.json" \
		"$BASE/api/v1/verify" >"$t/slowcode" &
	cpid=$!
	sleep 1
	kill -TERM "$PID"
	wait "$cpid"
	[ "$(cat "$t/slowcode")" = 200 ] && ok || bad "in-flight request answered $(cat "$t/slowcode") during shutdown"
	wait "$PID"; rc=$?
	[ "$rc" = 0 ] && ok || bad "shutdown exit $rc"
	grep -q '"event":"stopped"' "$t/gs.log" && ok || bad "no stopped event"
	code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz"); [ "$code" = 000 ] && ok || bad "still answering after stop"
}

# --- shutdown during a bulk job: it stops at a transaction boundary, the
# committed rows stay, and uploading the file again issues exactly the rest
be=bulkstop
$MCRED init --store "$t/bs.db" >/dev/null 2>&1
$MCRED issuer add --store "$t/bs.db" --issuer "$t/issuer.json" --key "$t/k.json" >/dev/null 2>&1
$MCRED template add --store "$t/bs.db" --achievement "$t/ach.json" --id ds101 --publish >/dev/null 2>&1
btok=$($MCRED token add --tokens "$t/bs.tokens" --name b --role issuer 2>/dev/null)
{ echo "learner_id,given_name,family_name,email,external_id,grade"
  for i in $(seq 1 4000); do echo "did:example:s$i,Anna$i,Berg,s$i@uni.example,sx-$i,1"; done; } >"$t/stop.csv"
start_server bs --store "$t/bs.db" --tokens "$t/bs.tokens" --rate-limit 0 && {
	curl -s -o "$t/b" -H "Authorization: Bearer $btok" -H "Content-Type: text/csv" --data-binary @"$t/stop.csv" "$BASE/api/v1/bulk?template=ds101"
	job=$(jq -r .job "$t/b")
	for _ in $(seq 1 200); do
		curl -s -H "Authorization: Bearer $btok" "$BASE/api/v1/bulk/$job" >"$t/b"
		jq -e '.issued > 0 or .state != "running"' "$t/b" >/dev/null && break; sleep 0.05
	done
	jq -e '.state == "running"' "$t/b" >/dev/null && ok || bad "bulk finished before the stop (test too small): $(cat "$t/b")"
	kill -TERM "$PID"; wait "$PID"; rc=$?
	[ "$rc" = 0 ] && ok || bad "stop during bulk exit $rc"
	grep -q "Sanitizer\|runtime error" "$t/bs.log" && bad "sanitizer report in bs" || ok
	start_server bs2 --store "$t/bs.db" --tokens "$t/bs.tokens" --rate-limit 0 && {
		curl -s -o "$t/b" -H "Authorization: Bearer $btok" -H "Content-Type: text/csv" --data-binary @"$t/stop.csv" "$BASE/api/v1/bulk?template=ds101"
		job=$(jq -r .job "$t/b")
		wait_job "$job" "$btok"
		jqt "rerun after stop issues the rest" '.state == "done" and .rows == 4000 and .existing > 0 and .issued > 0 and .issued + .existing == 4000'
		stop_server "$PID" bs2
	}
}

echo "server: $pass passed, $fail failed"
[ "$fail" = 0 ]
