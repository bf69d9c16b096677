# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# nvme-epf library: the help texts (nvme-epf --help, nvme-epf COMMAND --help).

help_main() {
	cat <<EOF
Usage: $PROG COMMAND [ARGS...]

Configure NVMe PCIe endpoint functions (nvme_epf.ko).

Commands:
  list-controllers         endpoint controllers of this board
  create                   subsystem + namespace 1 (or a capacity pool) + function,
                           started
  add-ns, remove-ns        add or remove a namespace of a subsystem
  start, stop              bring a function's link up or down
  status                   functions, subsystems and namespaces
  destroy                  stop and remove a function and its subsystem
  save [FILE]              write the configuration as JSON
  restore [FILE]           apply a saved configuration (idempotent)
  doctor                   check the kernel, board and module, in plain words
  trace [FUNCTION]         show the module's tracepoints live (commands, events)
  stats FUNCTION           per-queue and per-namespace counters, latency histogram
                           (--costs: the cost ledger, per I/O with --per-io)
  inject FUNCTION ...      error injection rules: list, add, remove
  version

'$PROG COMMAND --help' describes each command.  Default file: $DEFAULT_CONFIG
EOF
}

help_cmd() {
	case $1 in
	list-controllers) echo "Usage: $PROG list-controllers [--json]
List the PCI endpoint controllers ($EPC_CLASS) and the function using each." ;;
	create) echo "Usage: $PROG create --epc CONTROLLER --backing DEV|FILE|null:SIZE [options]
       $PROG create --epc CONTROLLER --pool DIR --pool-size SIZE [--backing B] [options]
Create a subsystem with namespace 1 and a function of the same name, bind
it to CONTROLLER and start it.  Everything is checked before configfs is
touched; a failure half-way removes what was created.
  --pool DIR         a capacity pool: the host creates, attaches and deletes
  --pool-size SIZE   namespaces (nvme create-ns ...) in DIR, an existing
                     directory, up to SIZE bytes in all (e.g. 64G); then
                     --backing (namespace 1) is optional
  --name NAME        subsystem and function name (default: first free epfN)
  --queues N         I/O queues (default: module default)
  --queue-depth N    entries per queue
  --msix N           MSI-X vectors (0: none)
  --mdts-kb N        largest transfer in KiB, a power of two
Ranges and name lengths are the module's ($CFS/limits).
  --model TEXT       model string (up to 40 ASCII characters)
  --serial TEXT      serial number (up to 20 ASCII characters)
  --dma on|off       use DMA channels (off: MMIO copies through the window)
  --cmb on|off       a Controller Memory Buffer for the host's SQs (BAR0 4 MiB)
  --block-size 512|4096   (null backing)
  --readonly" ;;
	add-ns) echo "Usage: $PROG add-ns SUBSYSTEM --backing DEV|FILE|null:SIZE [--nsid N] [--readonly]
Add and enable a namespace (default NSID: the first free one)." ;;
	remove-ns) echo "Usage: $PROG remove-ns SUBSYSTEM NSID
Disable and remove a namespace." ;;
	start) echo "Usage: $PROG start NAME|--all
Bind the function to its endpoint controller and bring the link up." ;;
	stop) echo "Usage: $PROG stop NAME...|--all [--release]
Bring the link down (the host sees the drive go away); keeps the configuration.
--all --release also disables every namespace, closing the backing devices
and files (the systemd unit does this at shutdown)." ;;
	status) echo "Usage: $PROG status [NAME] [--json]
Show functions (with link state, queues, commands), subsystems and namespaces.
--json prints what save would write (rules included) plus the live status.
Exit 1 if NAME is neither a function nor a subsystem." ;;
	destroy) echo "Usage: $PROG destroy NAME|--all
Stop and remove the function NAME, then its subsystem if no other function
uses it (with --all: everything)." ;;
	save) echo "Usage: $PROG save [FILE|-] [--with-inject] [--force]
Write the configuration as sorted JSON (default $DEFAULT_CONFIG): every
setting and the identity knobs; the error injection rules only with
--with-inject.  The file is written to a temporary file (mode 0600), synced,
then renamed; the previous one is kept as FILE.bak.  An empty configuration
does not replace a saved one without --force.  A name the file cannot hold
(blanks, control characters) makes save fail: nothing is left out.
Saving the default file also writes (or removes) the drop-ins that order
nvme-epf.service and nvme-epf-restore@.service after network-online.target,
when a saved namespace is backed over the network (NVMe/TCP, iSCSI, NBD,
NFS...)." ;;
	restore) echo "Usage: $PROG restore [FILE|-] [--wait SECONDS] [--prune] [--dry-run]
       $PROG restore [FILE|-] --epc CONTROLLER | --no-wait-epc [--wait SECONDS]
Make configfs match FILE (default $DEFAULT_CONFIG): create what is missing
and change what differs, naming each change (FILE - is standard input).
What the file does not list is kept and listed; --prune removes it.
Running it twice changes nothing.  --dry-run prints the plan and changes
nothing, not even mounting configfs or loading the module.  --epc restores
only the functions on CONTROLLER and their subsystems (the udev rule runs
nvme-epf-restore@CONTROLLER.service when a controller appears);
--no-wait-epc leaves functions whose controller is absent to that rule.
Waits up to --wait seconds (default 30) for endpoint controllers and backing
devices to appear.  Every item that could not be
applied is reported and the exit status is 1.  If the default file does not
exist there is nothing to restore (exit 0); a FILE given explicitly must
exist." ;;
	doctor) echo "Usage: $PROG doctor
Check kernel options, endpoint controllers, module, kernel headers and DMA
channels, and say in plain words what is missing.  Exit 1 on a problem." ;;
	trace) echo "Usage: $PROG trace [FUNCTION] [--all]
Enable the nvme_epf tracepoints and print them as they happen (Ctrl-C stops
and disables them): every completed command (queue, cid, opcode, nsid, LBA
range, length, PRP/SGL, status, latency) and controller events (CC/CSTS,
queue creation/deletion, link).  --all adds command fetches and interrupts.
Needs tracefs (mounted on /sys/kernel/tracing if it is not)." ;;
	stats) echo "Usage: $PROG stats FUNCTION
       $PROG stats --costs [--per-io | --reset] FUNCTION
Print the statistics of a started function (debugfs
nvme_epf/FUNCTION/stats; debugfs is mounted if it is not).
  --costs    the cost ledger instead (nvme_epf/FUNCTION/costs): one
             'name value' line per counter (docs/costs.md)
  --per-io   each sum divided by cmds_io, the I/O commands completed
             (_max counters as they are)
  --reset    restart the ledger from zero" ;;
	inject) echo "Usage: $PROG inject FUNCTION list
       $PROG inject FUNCTION add RULE [ATTR=VALUE...] [--disabled]
       $PROG inject FUNCTION remove RULE|--all
Device-side error injection (configfs functions/FUNCTION/inject/RULE).
Match: queue=any|admin|io|QID opcode=any|N nsid=N lba_first=N lba_last=N
every=N first=N percent=1-100.  Action: action=status|delay|hold|lose|fatal|xfer
with sct=N sc=N dnr=0|1 more=0|1 delay_us=N.  Example (media error on LBA 1000):
  $PROG inject f0 add media queue=io opcode=2 lba_first=1000 lba_last=1000 sct=2 sc=0x81
Rules are enabled when added and logged in the kernel log." ;;
	*) help_main ;;
	esac
}

# Every command accepts -h/--help anywhere in its arguments.
want_help() {
	local a
	for a in "$@"; do
		case $a in -h|--help) return 0 ;; esac
	done
	return 1
}
