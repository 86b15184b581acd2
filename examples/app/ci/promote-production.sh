#!/bin/sh
# Promote to production, after the approval gate: set in the production overlay exactly the images
# staging deploys, digests included, and push one commit whose trailers name the source
# (Promoted-From: overlays/staging, Promoted-From-Commit: the config commit it was read from).
# No working tree: the config repo is read, edited, committed and pushed in memory; when another
# pipeline pushes first, staging is read again on the new tip.
#
#   CONFIG_REPO=https://github.com/acme/config.git ci/promote-production.sh
#
# Environment: CONFIG_REPO (required), CONFIG_BRANCH (main), IMAGE (ghcr.io/acme/web),
# IMAGE_METADATA (optional: the image.json of this pipeline's build; when given, staging must
# run that very digest of IMAGE), BUMPER (the command that runs bumper). Credentials as for
# deploy-staging.sh.
#
# A protected config repo (nobody pushes to main): PROMOTE_VIA=pull-request opens (or updates)
# a pull request for the promotion instead of pushing, from the branch
# bumper/main/promote-overlays-staging-to-overlays-production, labelled "production" and merged by
# the provider once its checks and reviews pass (--auto-merge). The token is GITHUB_TOKEN or
# GITLAB_TOKEN (or GIT_TOKEN), or a GitHub App's (BUMPER_GITHUB_APP_ID and
# BUMPER_GITHUB_APP_PRIVATE_KEY).
set -eu
: "${CONFIG_REPO:?CONFIG_REPO must name the config repo}"
bumper=${BUMPER:-bumper}
branch=${CONFIG_BRANCH:-main}
image=${IMAGE:-ghcr.io/acme/web}

if [ -n "${IMAGE_METADATA:-}" ]; then
  # What staging runs of IMAGE, as promote reads it: a dry run names the reference it would
  # promote, and writes and pushes nothing.
  staging=$($bumper promote --repo "$CONFIG_REPO" --branch "$branch" --dry-run --output json \
    --from overlays/staging --to overlays/production --image "$image" |
    sed -n 's/.*"reference":"\([^"]*\)".*/\1/p')
  if [ -z "$staging" ]; then
    echo "promote-production: cannot tell what staging runs of $image (see above)" >&2
    exit 1
  fi
  built=$(sed -n 's/.*"digest" *: *"\(sha256:[0-9a-f]*\)".*/\1/p' "$IMAGE_METADATA")
  if [ "${staging#*@}" != "$built" ]; then
    echo "promote-production: staging runs ${staging#*@}, this pipeline built $built;" \
      "promote from the pipeline whose build staging runs" >&2
    exit 1
  fi
fi

# Refused (exit 4, nothing pushed) when staging runs an image at two references or without a
# digest: production gets only what staging is known to run.
case ${PROMOTE_VIA:-push} in
  push) delivery=--push ;;
  pull-request) delivery="--pull-request --label production --auto-merge" ;;
  *)
    echo "promote-production: PROMOTE_VIA is push or pull-request, not '$PROMOTE_VIA'" >&2
    exit 2
    ;;
esac
# shellcheck disable=SC2086 # the delivery's options are words
$bumper promote --repo "$CONFIG_REPO" --branch "$branch" $delivery \
  --from overlays/staging --to overlays/production
