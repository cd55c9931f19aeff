#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The release tarball: `make distcheck` builds, checks, installs and
# uninstalls it from a clean copy; the tarball carries LICENSE, the m4/
# macros, every migration and the documentation page; plain make builds no
# benchmark program; configure runs its feature macros before any check
# that compiles (autoconf would warn otherwise); source files carry SPDX
# licence identifiers.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d "${TEST_DIR:-${TMPDIR:-/tmp}}/t340.XXXXXX")

# A copy of the tree as git has it, so that nothing here touches the
# build that the other tests run.
if git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$REPO" ls-files -z | (cd "$REPO" && xargs -0 cp --parents -t "$WORK/") 2>/dev/null ||
		cp -a "$REPO/." "$WORK/"
else
	cp -a "$REPO/." "$WORK/"
fi
cd "$WORK"
rc=0
out=$( (autoreconf -fi && ./configure && make -j2 && make distcheck) 2>&1) || rc=$?
check_eq "$rc" 0 "autoreconf, configure, make and make distcheck pass on a clean copy"
[ "$rc" = 0 ] || diag "the last lines:" "$(tail -n 30 <<<"$out")"
check_true "$(grep -qi "AC_USE_SYSTEM_EXTENSIONS" <<<"$(autoreconf -fi 2>&1 || true)" && echo false || echo true)" \
	"autoconf has no warning about AC_USE_SYSTEM_EXTENSIONS"
check_true "$([ ! -e tests/bench/floor ] && echo true || echo false)" "plain make builds no benchmark program"
tarball=$(ls inventory-api-*.tar.gz 2>/dev/null | head -n 1)
listing=$(tar tzf "${tarball:-/dev/null}" 2>/dev/null || true)
for f in LICENSE m4/pkg.m4 docs/api/index.html docs/api/redoc.standalone.js nginx/inventory-api.conf \
	$(cd "$REPO" && ls sql/migrations/*.sql); do
	check_true "$(grep -q "^inventory-api-[^/]*/$f\$" <<<"$listing" && echo true || echo false)" \
		"the tarball has $f"
done

# Every source file names its licence (SPDX), but vendored and seed files.
if git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1; then
	missing=$(cd "$REPO" && git ls-files | grep -Ev \
		'^(docs/|bench/|m4/|tests/integration/fixtures/|tests/unit/fixtures/)|\.(png|json|md|txt)$|(^|/)\.(gitignore|keep)$|^LICENSE$' |
		while read -r f; do head -n 3 "$f" | grep -q 'SPDX-License-Identifier: MIT' || echo "$f"; done)
	check_eq "$missing" "" "every source file carries SPDX-License-Identifier: MIT"
fi

done_testing
