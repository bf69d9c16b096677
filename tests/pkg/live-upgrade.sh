#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the package test root (tests/pkg/dkms-root.sh), where
# tests/pkg/fake-systemctl stands in for systemd, against a fake configfs:
#
#   live-upgrade.sh upgrade CMD...   with nvme-epf.service active, a saved
#       function and a live one that was never saved, run CMD (the package
#       upgrade).  Pass: the service was neither stopped nor started, both
#       functions still exist and are started, configfs is unchanged.
#   live-upgrade.sh reload           `systemctl reload nvme-epf` applies the
#       saved file (ExecReload) and says what it changed.
#   live-upgrade.sh udev             boot with a function saved on a
#       controller that is not there yet: the unit does not wait for it; when
#       it appears, the unit the package's udev rule names restores it.
#   live-upgrade.sh shutdown         stopping the unit (shutdown) stops the
#       links and closes every backing device and file.
#   live-upgrade.sh network on|off   save a function backed by an NVMe/TCP
#       namespace (a fake sysfs) or by a local file: the tool writes, or
#       removes, the units' drop-ins ordering them after the network
#       (/etc/systemd/system/nvme-epf{,-restore@}.service.d/network.conf).
#
# Prints what went wrong; exit 1 on failure.
set -u
# shellcheck disable=SC2015  # "a && b || die": die is meant when either fails
# It deletes /etc/nvme-epf and /srv/nepf: never outside the test root,
# where dkms-root.sh installs it as /pkgs/live-upgrade.sh.
[ "$(readlink -f "$0")" = /pkgs/live-upgrade.sh ] ||
	{ echo "live-upgrade: runs only inside the package test root" >&2; exit 2; }
log=/var/log/fake-systemctl.log
base=/srv/nepf
cat > /etc/fake-systemd.env <<EOF
NVME_EPF_CONFIGFS=$base/cfs
NVME_EPF_FAKE=1
NVME_EPF_EPC_CLASS=$base/epc
NVME_EPF_DMA_CLASS=$base/dma
EOF
set -a
. /etc/fake-systemd.env
set +a

die() { echo "live-upgrade: $*"; [ ! -s "$log" ] || sed 's/^/    log: /' "$log"; exit 1; }
tree() { (cd "$base/cfs" && find . -type f | sort | while read -r f; do echo "$f=$(cat "$f")"; done); }
started() { [ "$(cat "$base/cfs/functions/$1/start" 2>/dev/null)" = 1 ]; }

case ${1:-} in
upgrade)
	shift
	[ $# -gt 0 ] || die "no upgrade command"
	rm -rf "$base" /etc/nvme-epf /run/fake-systemd
	mkdir -p "$base"/cfs/functions "$base"/cfs/subsystems "$base"/epc/vepc.0 "$base"/dma \
		/run/systemd/system
	: > "$log"
	nvme-epf create --epc vepc.0 --backing null:1G --name saved >/dev/null &&
		nvme-epf save >/dev/null || die "cannot create and save a function"
	# As on a board: the package enabled the unit, boot started it.
	[ "$(systemctl is-enabled nvme-epf.service)" = enabled ] || die "the package did not enable the unit"
	systemctl start nvme-epf.service && systemctl --quiet is-active nvme-epf.service ||
		die "the service did not start"
	nvme-epf create --epc vepc.0 --backing null:64M --name unsaved >/dev/null ||
		die "cannot create the unsaved function"
	before=$(tree)
	: > "$log"
	echo "upgrading: $*"
	"$@" || die "the upgrade failed"
	echo "systemctl calls during the upgrade:"
	sed 's/^/    /' "$log"
	! grep -q '^exec Exec' "$log" || die "the upgrade ran the service's commands"
	systemctl --quiet is-active nvme-epf.service || die "the service is no longer active"
	started saved && started unsaved || die "a function was stopped or removed: $(ls "$base/cfs/functions")"
	[ "$(tree)" = "$before" ] || die "configfs changed: $(diff <(echo "$before") <(tree))"
	;;
reload)
	started saved && started unsaved || die "run 'upgrade' first"
	nvme-epf save >/dev/null || die "save failed"
	nvme-epf stop unsaved || die "stop failed"
	: > "$log"
	systemctl reload nvme-epf.service || die "reload failed"
	sed 's/^/    /' "$log"
	started unsaved || die "reload did not start the saved function again"
	grep -q 'functions/unsaved/start' "$log" || die "reload did not say what it changed"
	;;
udev)
	systemctl stop nvme-epf.service
	rm -rf "$base" /etc/nvme-epf /run/fake-systemd
	mkdir -p "$base"/cfs/functions "$base"/cfs/subsystems "$base"/epc/vepc.0 "$base"/epc/late.1 "$base"/dma
	nvme-epf create --epc vepc.0 --backing null:1G --name early >/dev/null &&
	nvme-epf create --epc late.1 --backing null:1G --name late >/dev/null &&
	nvme-epf save >/dev/null && nvme-epf destroy --all >/dev/null || die "setup failed"
	rmdir "$base/epc/late.1"
	: > "$log"
	t0=$(date +%s)
	systemctl start nvme-epf.service || die "the unit failed"
	[ $(( $(date +%s) - t0 )) -lt 10 ] || die "boot waited for the missing controller"
	started early && [ ! -e "$base/cfs/functions/late" ] || die "wrong functions restored at boot"
	rule=$(cat /lib/udev/rules.d/60-nvme-epf.rules /usr/lib/udev/rules.d/60-nvme-epf.rules 2>/dev/null |
		grep -v '^#' | grep -m1 'SUBSYSTEM=="pci_epc"')
	unit=$(sed -n 's/.*SYSTEMD_WANTS}+="\([^"]*\)".*/\1/p' <<< "$rule")
	[ -n "$unit" ] || die "no udev rule for pci_epc naming a unit: $rule"
	mkdir "$base/epc/late.1"
	systemctl start "${unit//%k/late.1}" || die "${unit//%k/late.1} failed"
	sed 's/^/    /' "$log"
	started late && started early || die "the controller's functions were not restored"
	;;
shutdown)
	started early || die "run 'udev' first"
	systemctl start nvme-epf.service && systemctl stop nvme-epf.service || die "stop failed"
	sed 's/^/    /' "$log"
	! started early && ! started late || die "links still up"
	for e in "$base"/cfs/subsystems/*/namespaces/*/enable; do
		[ "$(cat "$e")" = 0 ] || die "${e#"$base"/cfs/} still enabled: backing still open"
	done
	;;
network)
	systemctl stop nvme-epf.service
	rm -rf "$base" /etc/nvme-epf /run/fake-systemd
	mkdir -p "$base"/cfs/functions "$base"/cfs/subsystems "$base"/epc/vepc.0 "$base"/dma \
		"$base"/dev "$base"/sysblock "$base"/sys/nvme1/nvme1n1
	echo tcp > "$base/sys/nvme1/transport"
	ln -s .. "$base/sys/nvme1/nvme1n1/device"
	ln -s "$base/sys/nvme1/nvme1n1" "$base/sysblock/nvme1n1"
	truncate -s 1M "$base/dev/nvme1n1" "$base/dev/local.img"
	export NVME_EPF_SYSBLOCK=$base/sysblock
	case ${2:-} in on) b=$base/dev/nvme1n1 ;; off) b=$base/dev/local.img ;; *) die "network on|off" ;; esac
	nvme-epf create --epc vepc.0 --backing "$b" --name net >/dev/null && nvme-epf save ||
		die "cannot create and save the function"
	for u in nvme-epf.service nvme-epf-restore@.service; do
		f=/etc/systemd/system/$u.d/network.conf
		if [ "$2" = on ]; then
			[ -f "$f" ] || die "no $f"
			cat "$f"
		else
			[ ! -e "$f" ] || die "$f is still there"
		fi
	done
	;;
*) die "usage: live-upgrade.sh upgrade CMD... | reload | udev | shutdown | network on|off" ;;
esac
