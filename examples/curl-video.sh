#!/usr/bin/env bash
# One video with curl: create it from a local image, follow its events until it is done, download it.
#   LEOMA_API_URL=http://127.0.0.1:3000 LEOMA_API_KEY=lk_test_… examples/curl-video.sh image.png out.mp4
set -euo pipefail
image="${1:?usage: curl-video.sh <image.png|jpg|webp> [out.mp4]}"
out="${2:-video.mp4}"
auth="Authorization: Bearer ${LEOMA_API_KEY:?set LEOMA_API_KEY}"
api="${LEOMA_API_URL:?set LEOMA_API_URL}"

# A fresh Idempotency-Key per video: resending this exact request (e.g. after a timeout) is safe.
video=$(curl -sf "$api/v1/videos" -H "$auth" -H "Idempotency-Key: $(node -p 'crypto.randomUUID()')" \
  -F prompt="slow push-in on the subject" -F duration_seconds=1 -F image=@"$image")
id=$(node -p 'JSON.parse(process.argv[1]).id' "$video")
echo "created $id" >&2

# Server-Sent Events: the stream ends at succeeded, failed or canceled.
curl -sfN "$api/v1/videos/$id/events" -H "$auth" | grep '^event:' >&2 || true

status=$(curl -sf "$api/v1/videos/$id" -H "$auth" | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).status')
[[ $status == succeeded ]] || { echo "video $id ended $status" >&2; exit 1; }
curl -sfL "$api/v1/videos/$id/content" -H "$auth" -o "$out"
echo "$out"
