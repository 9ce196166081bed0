#!/usr/bin/env bash
# Prints the path of an HAProxy of branch MAJOR.MINOR (the branch of the
# generated fleet gateway image) for the wire test.
#
# The installed Debian haproxy is used when it is that branch. Otherwise the
# newest Debian build of the branch is taken from a newer Debian suite: its
# binary package and the shared libraries it was built against (apt checks
# them against the signed indices), unpacked into the cache and started
# through their own dynamic loader. Nothing is installed system-wide, and the
# binary is Debian's own build, unmodified.
set -euo pipefail
branch="${1:?usage: haproxy.sh MAJOR.MINOR}"
if ! [[ "$branch" =~ ^[0-9]+\.[0-9]+$ ]]; then
  echo "haproxy.sh: not an HAProxy branch: $branch" >&2
  exit 2
fi

is_branch() {
  local version
  version="$("$1" -v 2>/dev/null)" || return 1
  grep -q "^HAProxy version ${branch//./\\.}\." <<<"$version"
}

for candidate in /usr/sbin/haproxy "$(command -v haproxy || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && is_branch "$candidate"; then
    echo "$candidate"
    exit 0
  fi
done

cache="${FLSEC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fl-security}"
mkdir -p "$cache"
exec 9>"$cache/haproxy-$branch.lock"
flock 9
wrapper="$cache/haproxy-$branch/bin/haproxy"
if [ -x "$wrapper" ] && is_branch "$wrapper"; then
  echo "$wrapper"
  exit 0
fi

arch="$(dpkg --print-architecture)"
multiarch="$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo "$(uname -m)-linux-gnu")"
work="$(mktemp -d -t flsec-haproxy-XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/debs"
# The Debian archive this system installs from (its main suite's URI), with
# newer suites, newest first; the system's own apt configuration is left alone.
release="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
mirror="$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 'Identifier: Packages' |
  awk -v r="$release" '$2 == r { print $1; exit }')"
if [ -z "$mirror" ]; then
  echo "haproxy.sh: no apt source for Debian ${release:-?} main to take newer suites from" >&2
  exit 1
fi
suites=(sid forky trixie-backports trixie)
for suite in "${suites[@]}"; do
  echo "deb [arch=$arch] $mirror $suite main"
done >"$work/sources.list"
apt_opts=(
  -o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
  -o "Dir::Cache::archives=$work/debs" -o "Dir::State::status=/dev/null"
)
echo "haproxy.sh: looking for HAProxy $branch in Debian (${suites[*]})" >&2
apt-get "${apt_opts[@]}" -qq update >&2

# The newest version of the branch; of suites with the same version, the
# one listed last (the most stable).
pick="$(apt-cache "${apt_opts[@]}" madison haproxy |
  awk -v b="$branch." -v order="${suites[*]}" '
    BEGIN { n = split(order, list, " "); for (i = 1; i <= n; i++) rank[list[i]] = i }
    index($3, b) == 1 && $NF == "Packages" { split($6, s, "/"); print $3, rank[s[1]], s[1] }' |
  sort -k1,1V -k2,2n | tail -1 | awk '{ print $1, $3 }')"
if [ -z "$pick" ]; then
  echo "haproxy.sh: no Debian suite (${suites[*]}) has HAProxy $branch" >&2
  exit 1
fi
read -r version suite <<<"$pick"
echo "haproxy.sh: HAProxy $version from Debian $suite" >&2

# haproxy and the shared libraries it depends on (transitively), from that suite.
apt_suite=("${apt_opts[@]}" -o "APT::Default-Release=$suite")
packages=(haproxy)
declare -A seen=([haproxy]=1)
i=0
while [ "$i" -lt "${#packages[@]}" ]; do
  pkg="${packages[$i]}"
  i=$((i + 1))
  deps="$(apt-cache "${apt_suite[@]}" show --no-all-versions "$pkg" |
    sed -n 's/^\(Pre-\)\{0,1\}Depends: //p' | tr ',' '\n' |
    sed 's/|.*//; s/([^)]*)//; s/:any//; s/^ *//; s/ *$//')"
  for dep in $deps; do
    case "$dep" in lib* | zlib1g) ;; *) continue ;; esac
    if [ -z "${seen[$dep]:-}" ]; then
      seen[$dep]=1
      packages+=("$dep")
    fi
  done
done
(cd "$work/debs" && apt-get "${apt_suite[@]}" -qq download "${packages[@]/%//$suite}" >&2) 2>&1 |
  grep -v 'unsandboxed' >&2 || true

dest="$cache/haproxy-$branch"
staging="$cache/haproxy-$branch.new"
rm -rf "$staging"
mkdir -p "$staging/root" "$staging/bin"
for deb in "$work"/debs/*.deb; do
  dpkg-deb -x "$deb" "$staging/root"
done
root="$dest/root"
loader=""
for candidate in usr/lib64/ld-linux-x86-64.so.2 "usr/lib/$multiarch"/ld-linux*.so.* lib64/ld-linux-x86-64.so.2; do
  if [ -e "$staging/root/$candidate" ]; then
    loader="$candidate"
    break
  fi
done
if [ -z "$loader" ]; then
  echo "haproxy.sh: no dynamic loader in the unpacked libc6" >&2
  exit 1
fi
libs="$root/usr/lib/$multiarch:$root/lib/$multiarch"
cat >"$staging/bin/haproxy" <<EOF
#!/bin/sh
# Debian's haproxy $version ($suite), started with the libraries of that suite.
exec "$root/$loader" --library-path "$libs" "$root/usr/sbin/haproxy" "\$@"
EOF
chmod +x "$staging/bin/haproxy"
rm -rf "$dest"
mv "$staging" "$dest"

# Every library must come from the unpacked suite, not from this system.
outside="$("$root/$loader" --library-path "$libs" --list "$root/usr/sbin/haproxy" |
  grep '=>' | grep -v "=> $root/" || true)"
if [ -n "$outside" ] || ! is_branch "$wrapper"; then
  echo "haproxy.sh: the unpacked HAProxy does not run on its own libraries:" >&2
  echo "$outside" >&2
  rm -rf "$dest"
  exit 1
fi
echo "$wrapper"
