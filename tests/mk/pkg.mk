# SPDX-License-Identifier: GPL-2.0
# Packaging tier: .deb/.rpm builds with lintian/rpmlint, the nvme-epf tool's
# unit tests, DKMS install/rebuild/purge in a clean Debian root, RPM
# scriptlets in a root (tests/pkg/).
#
#   make deb        build/pkg/nvme-epf-{dkms,utils}_<ver>_all.deb + lintian
#   make rpm        build/pkg/nvme-epf{,-utils}-<ver>-1.noarch.rpm + rpmlint
#   make pkgtest    all package tests (same as check-pkg)

CHECK_TIERS += pkg

.PHONY: deb rpm pkgtest check-pkg

deb:
	@bash tests/pkg/build-deb.sh

rpm:
	@bash tests/pkg/build-rpm.sh

pkgtest check-pkg:
	@bash tests/pkg/run.sh
