#!/bin/sh
# publish-release.sh: publish a built site/ to a web server atomically.
#
#   publish-release.sh [--keep N] [--via rsync|tar|cp] [--ssh CMD] SITE_DIR TARGET
#   publish-release.sh --rollback [--to RELEASE] [--ssh CMD] TARGET
#   publish-release.sh --list [--ssh CMD] TARGET
#
# TARGET is a folder on this machine (/srv/gazette) or on a server reached by ssh
# (deploy@web01:/srv/gazette). Under TARGET the script owns exactly these names:
#
#   TARGET/releases/<UTC time>/      one complete copy of the site per publication
#   TARGET/releases/.<UTC time>.partial/   an upload in progress (never served)
#   TARGET/current -> releases/<UTC time>  what the web server serves
#
# The web server's document root is TARGET/current. A publication uploads into a
# new release folder, then renames a new symlink over `current` (one rename, so a
# visitor sees either the old site or the new one, never a mix), then deletes the
# oldest releases beyond --keep. Nothing else under TARGET is read, changed or
# deleted. POSIX sh; the server needs sh, ln, mv with -T (GNU) or -h (BSD), and
# tar or rsync for uploads over ssh.
#
# Do not run two publications to the same TARGET at once (serialise the CI job).

set -eu

PROG=publish-release.sh
KEEP=5
VIA=auto
SSH_CMD=ssh
MODE=publish
TO=

say() { printf '%s\n' "$*" >&2; }
die() { say "$PROG: $*"; exit 2; }

usage() {
    cat >&2 <<'USAGE'
用法：
  publish-release.sh [--keep N] [--via rsync|tar|cp] [--ssh 命令] 站点目录 目标
  publish-release.sh --rollback [--to 版本] [--ssh 命令] 目标
  publish-release.sh --list [--ssh 命令] 目标

目标：本机目录（如 /srv/gazette）或 ssh 地址（如 deploy@web01:/srv/gazette）。
每次发布上传到 目标/releases/<时间>/，再把 目标/current 原子地切换过去；
网站服务器的根目录应指向 目标/current。
  --keep N      保留最近 N 个版本以便回退（默认 5，至少 1）
  --via 方式    上传方式：rsync、tar（经 ssh）或 cp（本机）；默认有 rsync 时用 rsync
  --ssh 命令    连接服务器的命令，例如 "ssh -p 2222 -i ~/.ssh/deploy"（默认 ssh）
  --rollback    把 current 切回上一个版本（或 --to 指定的版本），不上传
  --list        列出服务器上的各个版本，* 为当前版本
USAGE
}

ARG1=; ARG2=; NARGS=0
positional() {
    NARGS=$((NARGS + 1))
    case $NARGS in 1) ARG1=$1 ;; 2) ARG2=$1 ;; *) usage; die "参数过多：$1" ;; esac
}
while [ $# -gt 0 ]; do
    case $1 in
        --keep) [ $# -ge 2 ] || die "--keep 后面要写保留的版本数"; KEEP=$2; shift 2 ;;
        --keep=*) KEEP=${1#--keep=}; shift ;;
        --via) [ $# -ge 2 ] || die "--via 后面要写 rsync、tar 或 cp"; VIA=$2; shift 2 ;;
        --via=*) VIA=${1#--via=}; shift ;;
        --ssh) [ $# -ge 2 ] || die "--ssh 后面要写连接命令"; SSH_CMD=$2; shift 2 ;;
        --ssh=*) SSH_CMD=${1#--ssh=}; shift ;;
        --to) [ $# -ge 2 ] || die "--to 后面要写版本名"; TO=$2; shift 2 ;;
        --to=*) TO=${1#--to=}; shift ;;
        --rollback) MODE=rollback; shift ;;
        --list) MODE=list; shift ;;
        -h|--help) usage; exit 0 ;;
        --) shift; while [ $# -gt 0 ]; do positional "$1"; shift; done ;;
        -*) usage; die "不认识的选项 $1" ;;
        *) positional "$1"; shift ;;
    esac
done

case $KEEP in
    ''|*[!0-9]*) die "--keep 应为正整数，实际是「$KEEP」" ;;
esac
[ "$KEEP" -ge 1 ] || die "--keep 至少为 1（当前版本总是保留）"
case $VIA in auto|rsync|tar|cp) ;; *) die "--via 应为 rsync、tar 或 cp，实际是「$VIA」" ;; esac
[ -z "$TO" ] || [ "$MODE" = rollback ] || die "--to 只能与 --rollback 一起使用"

if [ "$MODE" = publish ]; then
    [ "$NARGS" -eq 2 ] || { usage; die "发布需要两个参数：站点目录和目标"; }
    SITE=$ARG1; TARGET=$ARG2
else
    [ "$NARGS" -eq 1 ] || { usage; die "需要一个参数：目标"; }
    SITE=; TARGET=$ARG1
fi

# user@host:/path (no slash before the first colon) is a server; anything else a local folder.
HOST=
BASE=$TARGET
case $TARGET in
    */*:*|./*|/*) ;;
    *:*) HOST=${TARGET%%:*}; BASE=${TARGET#*:} ;;
esac
[ -n "$BASE" ] || die "目标「$TARGET」缺少路径，应写成 用户@服务器:/路径"
case $BASE in
    /) die "目标不能是根目录 /" ;;
esac

# Single-quote a word for the remote shell.
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# What runs where the releases live (here, or on the server through ssh).
side_script() {
    cat <<'SIDE'
set -eu
action=$1; base=$2
PATTERN='^[0-9]{8}T[0-9]{6}Z$'
fail() { printf '%s\n' "$*" >&2; exit 3; }
releases() { ls -1 "$base/releases" 2>/dev/null | grep -E "$PATTERN" | sort || true; }
current() {
    if [ -L "$base/current" ]; then
        t=$(readlink "$base/current"); t=${t%/}
        case $t in releases/*) n=${t#releases/}; printf '%s' "$n" | grep -Eq "$PATTERN" && printf '%s\n' "$n" ;; esac
    fi
    return 0
}
check_base() {
    if [ -e "$base/current" ] && [ ! -L "$base/current" ]; then
        fail "$base/current 已存在，但不是本脚本建立的符号链接（可能是以前直接发布的网站目录）。为免误删，请先把它移走或改名，再重新发布。"
    fi
    if [ -e "$base/releases" ] && [ ! -d "$base/releases" ]; then
        fail "$base/releases 已存在，但不是目录；请先把它移走。"
    fi
}
switch() {  # point current at releases/$1 in one rename
    tmp="$base/.current.tmp.$$"
    rm -f "$tmp"
    ln -s "releases/$1" "$tmp"
    if ! mv -T "$tmp" "$base/current" 2>/dev/null && ! mv -h "$tmp" "$base/current" 2>/dev/null; then
        rm -f "$tmp"
        fail "无法切换 $base/current（服务器上的 mv 既不支持 -T 也不支持 -h，或没有写入权限）"
    fi
}
case $action in
prepare)
    mkdir -p "$base"
    check_base
    mkdir -p "$base/releases"
    tries=0
    while :; do
        name=$(date -u +%Y%m%dT%H%M%SZ)
        [ -e "$base/releases/$name" ] || [ -e "$base/releases/.$name.partial" ] || break
        tries=$((tries + 1)); [ "$tries" -lt 10 ] || fail "无法取得新的版本名"
        sleep 1
    done
    mkdir "$base/releases/.$name.partial"
    cur=$(current)
    printf '%s %s\n' "$name" "${cur:--}"
    ;;
activate)
    name=$3; keep=$4
    partial="$base/releases/.$name.partial"
    [ -f "$partial/index.html" ] || { rm -rf "$partial"; fail "上传后的版本中没有 index.html，已放弃本次发布；current 保持不变。"; }
    check_base
    mv "$partial" "$base/releases/$name"
    switch "$name"
    cur=$name
    count=$(releases | wc -l)
    excess=$((count - keep))
    if [ "$excess" -gt 0 ]; then
        releases | head -n "$excess" | while IFS= read -r old; do
            [ "$old" = "$cur" ] || rm -rf "$base/releases/$old"
        done
    fi
    printf '已发布版本 %s；%s/current 现指向 releases/%s（保留最近 %s 个版本）。\n' "$name" "$base" "$name" "$keep"
    ;;
abort)
    name=$3
    rm -rf "$base/releases/.$name.partial"
    ;;
rollback)
    to=$3
    check_base
    cur=$(current)
    [ -n "$cur" ] || fail "$base/current 不存在或不指向 releases/ 中的版本，无法回退。"
    if [ -n "$to" ]; then
        releases | grep -Fqx "$to" || fail "没有版本「$to」；现有版本：$(releases | tr '\n' ' ')"
        target=$to
    else
        target=$(releases | awk -v c="$cur" '$0 < c' | tail -n 1)
        [ -n "$target" ] || fail "当前版本 $cur 之前没有可回退的版本。"
    fi
    [ -f "$base/releases/$target/index.html" ] || fail "版本 $target 中没有 index.html，不能切换过去。"
    switch "$target"
    printf '已回退：%s/current 由 releases/%s 改为指向 releases/%s。\n' "$base" "$cur" "$target"
    ;;
list)
    cur=$(current)
    releases | while IFS= read -r r; do
        if [ "$r" = "$cur" ]; then printf '* %s\n' "$r"; else printf '  %s\n' "$r"; fi
    done
    ;;
*)
    fail "unknown action $action"
    ;;
esac
SIDE
}

run_side() {
    if [ -n "$HOST" ]; then
        cmd="sh -s --"
        for word in "$@"; do cmd="$cmd $(q "$word")"; done
        side_script | $SSH_CMD "$HOST" "$cmd"
    else
        side_script | sh -s -- "$@"
    fi
}

if [ "$MODE" = list ]; then
    run_side list "$BASE" || exit 3
    exit 0
fi
if [ "$MODE" = rollback ]; then
    run_side rollback "$BASE" "$TO" || exit 3
    exit 0
fi

# -- publish -------------------------------------------------------------------------
[ -d "$SITE" ] || die "站点目录「$SITE」不存在；请先运行 mkdocs build"
[ -n "$(ls -A "$SITE")" ] || die "站点目录「$SITE」是空的，不发布；请先运行 mkdocs build"
[ -f "$SITE/index.html" ] || die "站点目录「$SITE」中没有 index.html，看起来不是构建好的网站，不发布"

if [ "$VIA" = auto ]; then
    if command -v rsync >/dev/null 2>&1; then VIA=rsync
    elif [ -n "$HOST" ]; then VIA=tar
    else VIA=cp
    fi
fi
[ "$VIA" != cp ] || [ -z "$HOST" ] || die "--via cp 只能用于本机目录；发布到服务器请用 rsync 或 tar"

PREPARED=$(run_side prepare "$BASE") || exit 3
set -- $PREPARED
[ $# -eq 2 ] || die "无法在「$TARGET」中准备新版本"
NAME=$1; CURRENT=$2
PARTIAL="$BASE/releases/.$NAME.partial"

upload() {
    case $VIA in
        rsync)
            link=
            [ "$CURRENT" = - ] || link="--link-dest=../$CURRENT"  # unchanged files become hard links
            if [ -n "$HOST" ]; then
                rsync -a --checksum --delete $link -e "$SSH_CMD" "$SITE/" "$HOST:$PARTIAL/"
            else
                rsync -a --checksum --delete $link "$SITE/" "$PARTIAL/"
            fi
            ;;
        tar)
            if [ -n "$HOST" ]; then
                (cd "$SITE" && tar -cf - .) | $SSH_CMD "$HOST" "cd $(q "$PARTIAL") && tar -xf -"
            else
                (cd "$SITE" && tar -cf - .) | (cd "$PARTIAL" && tar -xf -)
            fi
            ;;
        cp)
            cp -pR "$SITE/." "$PARTIAL/"
            ;;
    esac
}

say "上传 $SITE 到 $TARGET/releases/$NAME（$VIA）…"
if ! upload; then
    run_side abort "$BASE" "$NAME" || true
    die "上传失败，已删除未完成的版本；current 保持不变。"
fi
run_side activate "$BASE" "$NAME" "$KEEP" || exit 3
