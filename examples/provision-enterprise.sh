#!/usr/bin/env bash
# Provisions an enterprise customer the way sales does: the tenant with contract limits and
# invoice billing, then a live key (shown once) and a test key for their integration.
#   LEOMA_API_URL=… LEOMA_API_KEY=lk_op_… (a sales or admin operator key) examples/provision-enterprise.sh "Acme Corp"
set -euo pipefail
name="${1:?usage: provision-enterprise.sh <company name>}"
auth="Authorization: Bearer ${LEOMA_API_KEY:?set LEOMA_API_KEY to an operator key}"
api="${LEOMA_API_URL:?set LEOMA_API_URL}"
post() { curl -sf "$api$1" -H "$auth" -H 'content-type: application/json' -H "Idempotency-Key: $(node -p 'crypto.randomUUID()')" -d "$2"; }
field() { node -p "JSON.parse(process.argv[1]).$1" "$2"; }

tenant=$(post /v1/admin/tenants "$(node -p 'JSON.stringify({ name: process.argv[1], plan: "enterprise", limit_overrides: { concurrent_videos: 50 }, billing_mode: "invoice", net_days: 30, metadata: { crm: "example" } })' "$name")")
id=$(field id "$tenant")
live=$(post "/v1/admin/tenants/$id/api-keys" '{"mode":"live","name":"production"}')
test=$(post "/v1/admin/tenants/$id/api-keys" '{"mode":"test","name":"integration"}')
# One line for the customer's secrets manager; the secrets are not retrievable later.
node -p 'JSON.stringify({ tenant: process.argv[1], live_key: JSON.parse(process.argv[2]).secret, test_key: JSON.parse(process.argv[3]).secret })' "$id" "$live" "$test"
