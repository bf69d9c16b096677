# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Shared by the package scripts: version, staging of a clean source tree.
. "$(dirname "${BASH_SOURCE[0]}")/../infra/common.sh"

PKG_OUT=$NEPF_BUILD/pkg
mkdir -p "$PKG_OUT"

# The version lives in debian/changelog; the RPM spec must agree (checked).
pkg_version() { nepf_version; }

# Copy the working tree (what the developer has, not only what is
# committed) without VCS data and build products into $1.
pkg_stage() {
	local dst=$1
	rm -rf "$dst"
	mkdir -p "$dst"
	tar -C "$NEPF_TOP" --exclude=./.git --exclude=./build --exclude='*.o' \
		--exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' --exclude='.*.cmd' \
		--exclude=modules.order --exclude=Module.symvers \
		--exclude=src/compat-generated.h -cf - . | tar -C "$dst" -xf -
}
