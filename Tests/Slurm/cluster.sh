#!/bin/bash
# A single-node Slurm cluster for the job-array test: `cluster.sh start DIR` installs Debian's
# slurmctld, slurmd, slurm-client and munge if missing, writes DIR/slurm.conf, starts munged,
# slurmctld and slurmd, and waits until the node is idle (exit 3 if the packages cannot be
# installed here); `cluster.sh stop DIR` stops them. Commands then need SLURM_CONF=DIR/slurm.conf.
set -euo pipefail
command=$1
dir=$2
mkdir -p "$dir"
conf="$dir/slurm.conf"
export SLURM_CONF="$conf"

stop() {
    scancel --quiet --full --user=root 2>/dev/null || true
    for daemon in slurmd slurmctld; do
        [ -f "$dir/$daemon.pid" ] && kill "$(cat "$dir/$daemon.pid")" 2>/dev/null || true
    done
    for _ in 1 2 3 4 5 6; do
        pgrep --runstates D,R,S,T -f "slurm(ctl)?d -f $conf" >/dev/null || return 0
        sleep 0.5
    done
    # A daemon that ignored SIGTERM (its spool already gone) is killed.
    pkill -KILL -f "slurm(ctl)?d -f $conf" 2>/dev/null || true
}

if [ "$command" = stop ]; then stop; exit 0; fi

missing=()
for package in slurmctld slurmd slurm-client munge; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
    # The packages try to start their services; this machine has no init system for them.
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}") >/dev/null 2>&1 \
        || { rm -f /usr/sbin/policy-rc.d; echo "slurm-wlm cannot be installed here (apt failed)" >&2; exit 3; }
    rm -f /usr/sbin/policy-rc.d
fi

[ -f /etc/munge/munge.key ] || /usr/sbin/mungekey --create >/dev/null 2>&1 || /usr/sbin/create-munge-key >/dev/null 2>&1
chown munge:munge /etc/munge/munge.key 2>/dev/null || true
install -d -o munge -g munge -m 0755 /run/munge
pgrep --runstates D,R,S,T -x munged >/dev/null || su -s /bin/sh munge -c /usr/sbin/munged

cpus=$(nproc)
mkdir -p "$dir/state" "$dir/spool"
cat > "$conf" <<CONF
ClusterName=turnstile-test
SlurmctldHost=localhost
SlurmUser=root
AuthType=auth/munge
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SchedulerParameters=batch_sched_delay=0
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=localhost CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF

stop
# Zombies (a daemon killed earlier, its parent not reaping) do not count: only live daemons do.
if pgrep --runstates D,R,S,T -x slurmctld >/dev/null || pgrep --runstates D,R,S,T -x slurmd >/dev/null; then
    echo "another Slurm controller or node daemon already runs on this machine; the test starts its own and will not touch it" >&2
    exit 3
fi
slurmctld -f "$conf"
slurmd -f "$conf"
for _ in $(seq 1 60); do
    state=$(sinfo -h -o %T 2>/dev/null || true)
    [ "$state" = idle ] && exit 0
    sleep 0.5
done
echo "the Slurm node did not become idle (state: ${state:-none}); see $dir/slurmctld.log and $dir/slurmd.log" >&2
exit 1
