# nvmf.sh - NVMe over Fabrics helpers for the guest cases (sourced after
# tap.sh): two guests on their VM-only link (tests/vm/run -n), the target
# at 169.254.0.1 exporting with nvmet-tcp through configfs as nvmetcli
# would (Documentation/nvmf/iopmem-nvmet.json), the host at 169.254.0.2
# connecting with nvme-cli.  Commands from the host to the target's case
# go over TCP port 4421, one word a connection (busybox nc).
NVMF_TARGET=169.254.0.1
NVMF_HOST=169.254.0.2
NVMF_NQN=nqn.2026-11.org.iopmem:bar0
NVMF_CFG=/sys/kernel/config/nvmet

# nvmf_modules MODULE...: load them, or say "# nvmf none" and end the case
# (a kernel without them: the host test skips).
nvmf_modules() {
	for _m in "$@"; do
		modprobe "$_m" 2>/dev/null || { echo "# nvmf none: no module $_m in this kernel"; exit 0; }
	done
}

# nvmf_link ADDRESS: the VM-only link up with ADDRESS/16.
nvmf_link() {
	wait_for 10 test -e /sys/class/net/eth0 && ip link set eth0 up && ip addr add "$1/16" dev eth0
}

# nvmet_configfs: nvmet's configfs tree mounted (loading nvmet loads configfs).
nvmet_configfs() { grep -q configfs /proc/mounts || mount -t configfs none /sys/kernel/config; }

# nvmet_subsystem NQN: a subsystem any host may connect to, with a fixed
# serial (a host reconnecting to the next boot must find the same one).
nvmet_subsystem() {
	mkdir "$NVMF_CFG/subsystems/$1" &&
		echo 1 > "$NVMF_CFG/subsystems/$1/attr_allow_any_host" &&
		echo iopmem-bar0 > "$NVMF_CFG/subsystems/$1/attr_serial"
}

# nvmet_namespace NQN NSID DEVICE UUID: an enabled namespace with fixed
# identifiers (nvmet makes up random ones otherwise, and a host that
# reconnects to the next boot drops a namespace whose identifiers changed).
nvmet_namespace() {
	_n=$NVMF_CFG/subsystems/$1/namespaces/$2
	mkdir "$_n" && echo "$3" > "$_n/device_path" && echo "$4" > "$_n/device_uuid" &&
		echo "$4" > "$_n/device_nguid" && echo 1 > "$_n/enable"
}

# nvmet_port NQN: TCP port 1 at $NVMF_TARGET:4420 serving subsystem NQN.
nvmet_port() {
	_p=$NVMF_CFG/ports/1
	mkdir "$_p" && echo tcp > "$_p/addr_trtype" && echo ipv4 > "$_p/addr_adrfam" &&
		echo $NVMF_TARGET > "$_p/addr_traddr" && echo 4420 > "$_p/addr_trsvcid" &&
		ln -s "$NVMF_CFG/subsystems/$1" "$_p/subsystems/"
}

# nvmet_unexport NQN: port, namespaces and subsystem gone, modules out.
nvmet_unexport() {
	rm "$NVMF_CFG/ports/1/subsystems/$1" && rmdir "$NVMF_CFG/ports/1" &&
		for _n in "$NVMF_CFG/subsystems/$1/namespaces/"*; do rmdir "$_n" || return 1; done &&
		rmdir "$NVMF_CFG/subsystems/$1" && rmmod nvmet_tcp && rmmod nvmet
}

# nvmf_command: the next word the host sends (within 600 s), or fail.
nvmf_command() { timeout 600 nc -l -p 4421; }

# nvmf_tell WORD: send the target one command.
nvmf_tell() { echo "$1" | timeout 20 nc -w 10 $NVMF_TARGET 4421; }

# nvmf_connect: connect to the target (retrying for up to 120 s, while it
# boots), reconnecting by itself for up to 120 s after a loss.
nvmf_connect() {
	wait_for 120 nvme connect -t tcp -a $NVMF_TARGET -s 4420 -n $NVMF_NQN \
		--hostnqn=nqn.2026-11.org.iopmem:host --hostid=2c8e0d5a-6b1f-4e7c-8d39-5a0f1b2c3d4e \
		--ctrl-loss-tmo=120 --reconnect-delay=1
}

# nvmf_ctrl: the controller connected over TCP to $NVMF_NQN (nvmeN).
nvmf_ctrl() {
	for _c in /sys/class/nvme/nvme*; do
		[ "$(cat "$_c/transport" 2>/dev/null)" = tcp ] &&
			[ "$(cat "$_c/subsysnqn" 2>/dev/null)" = $NVMF_NQN ] && { echo "${_c##*/}"; return 0; }
	done
	return 1
}
