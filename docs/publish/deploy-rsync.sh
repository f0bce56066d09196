#!/usr/bin/env bash
# 生成网站并用 rsync 部署到网站服务器（或本机目录）。
#
#   用法：deploy-rsync.sh 目标 [mkdocs.yml]
#     目标：本机目录，如 /var/www/gkml/；或 rsync 地址，如 deploy@www.example.gov.cn:/var/www/gkml/
#   环境变量：GKML（gkml 命令，默认 gkml）、RSYNC_OPTS（另加的 rsync 参数，如 -e "ssh -p 2222"）
#
# 先用 gkml build --strict 把网站生成到临时文件夹：目录有任何错误或警告，生成就失败，
# 脚本不部署、以退出码 1 结束，线上网站保持原样。生成成功才用 rsync 同步：
# --delay-updates 先传完再一起替换，--delete-after 最后删除线上多余的旧文件。
set -euo pipefail

dest=${1:?用法：deploy-rsync.sh 目标目录或 user@host:/路径 [mkdocs.yml]}
config=${2:-mkdocs.yml}
gkml=${GKML:-gkml}

build=$(mktemp -d "${TMPDIR:-/tmp}/gkml-deploy.XXXXXX")
trap 'rm -rf "$build"' EXIT

if ! $gkml build --strict -f "$config" -d "$build/site"; then
  echo "错误：网站生成失败，没有部署，线上网站保持不变。请先运行 gkml check --strict 修正。" >&2
  exit 1
fi
if [ ! -f "$build/site/index.html" ]; then
  echo "错误：生成结果中没有 index.html，没有部署。" >&2
  exit 1
fi

# 本机目录不存在时先建好（远程目录须事先建好）。
case "$dest" in
  *:*) ;;
  *) mkdir -p "$dest" ;;
esac

# shellcheck disable=SC2086  # RSYNC_OPTS is meant to split into several options
rsync --recursive --links --checksum --chmod=D755,F644 --delay-updates --delete-after ${RSYNC_OPTS:-} \
  "$build/site/" "$dest"
echo "已部署到 $dest"
