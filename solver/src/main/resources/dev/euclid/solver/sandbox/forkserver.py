# Euclid's Python fork server: runs model-written code, one forked child per run.
#
# Started by LocalPythonExecutor as `python3 -I -c <this file> [--isolated] [--setup-mounts HIDE PREFIX...]`,
# usually inside bubblewrap or `unshare`. Importing numpy and sympy once here and forking per run
# is what makes a run cost milliseconds instead of a cold interpreter's few hundred.
#
# Protocol (one JSON object per line): requests on stdin
#   {"id", "code", "wall", "memory", "output", "cpu", "fsize", "nofile", "nproc", "tmpfs"}
# responses on stdout {"id", "status": ok|error|timeout|killed, "stdout", "stderr", "seconds"};
# the first line out is {"ready": true, ...}. End of stdin ends the server and every run.
#
# Each run, when --isolated: the server forks a supervisor that is pid 1 of a new pid namespace
# (so killing it kills everything the run started, however it detached), with its own mount
# namespace (a fresh size-capped tmpfs as the run's only writable directory, /proc showing only
# the run). The supervisor forks the code's process, which drops every capability (and, when the
# server is the host's root, becomes nobody) and sets its rlimits before running the code; the
# supervisor counts the run's processes and memory and ends the namespace when either exceeds its cap.
import ctypes
import json
import os
import select
import shutil
import signal
import sys
import tempfile
import time
import traceback

# Fork safety and fairness: BLAS thread pools do not survive fork, and N runs share the cores.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

PRELOADED = []
for _name in ("math", "numpy", "sympy"):
    try:
        __import__(_name)
        PRELOADED.append(_name)
    except ImportError:
        pass

import gc
import resource

LIBC = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS, CLONE_NEWPID = 0x00020000, 0x20000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 4, 24, 38
PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
# statvfs flag -> mount flag that a bind remount must repeat (the kernel refuses to drop locked ones).
KEPT_FLAGS = ((os.ST_NOSUID, MS_NOSUID), (os.ST_NODEV, MS_NODEV), (os.ST_NOEXEC, MS_NOEXEC),
              (os.ST_NOATIME, 1024), (os.ST_NODIRATIME, 2048), (os.ST_RELATIME, 1 << 21))
WATCH_INTERVAL = 0.005
NOBODY = 65534
PAGE = os.sysconf("SC_PAGE_SIZE")


def check(rc, what):
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, "%s: %s" % (what, os.strerror(err)))


def mount(source, target, fstype, flags, data=None):
    enc = lambda s: None if s is None else s.encode()
    check(LIBC.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)), "mount " + target)


def remount_read_only(path):
    kept = os.statvfs(path).f_flag
    flags = MS_REMOUNT | MS_BIND | MS_RDONLY
    for st, ms in KEPT_FLAGS:
        if kept & st:
            flags |= ms
    mount(None, path, None, flags)


def mount_points():
    points = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            points.append(line.split()[4].replace("\\040", " "))
    return points


def setup_mounts(hidden, keep):
    """For `unshare`: what bubblewrap's flags do. A private /tmp, `hidden` (the user's home)
    replaced by an empty tmpfs with the interpreter's `keep` directories bound back, then every
    other mount remounted read-only. Returns the mount points that stayed writable."""
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777")
    staged = []
    for i, path in enumerate(keep):
        stage = "/tmp/.keep%d" % i
        os.mkdir(stage)
        mount(path, stage, None, MS_BIND | MS_REC)
        staged.append((stage, path))
    if hidden:
        mount("tmpfs", hidden, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755")
        for stage, path in staged:
            os.makedirs(path, exist_ok=True)
            mount(stage, path, None, MS_BIND | MS_REC)
            check(LIBC.umount2(stage.encode(), 2), "umount " + stage)  # MNT_DETACH
            os.rmdir(stage)
    writable = []
    for point in sorted(set(mount_points()), key=len, reverse=True):
        if point == "/tmp" or point == "/proc" or point.startswith("/proc/"):
            continue
        try:
            remount_read_only(point)
        except OSError:
            writable.append(point)
    return writable


def host_root():
    """Whether our uid 0 is the host's root (no user namespace in between, or one mapping 0 to 0)."""
    if os.getuid() != 0:
        return False
    with open("/proc/self/uid_map") as f:
        inside, outside, _ = f.readline().split()
    return inside == "0" and outside == "0"


def drop_privileges(run_as):
    """Nothing the code runs keeps a capability, not even across execve of a root-owned binary,
    and when we are the host's root the code runs as `run_as` (nobody): root-only files stay
    unreadable and RLIMIT_NPROC, which root ignores, binds."""
    for cap in range(64):
        LIBC.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)  # fails past the last capability; verified below
    LIBC.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    if run_as is not None:
        os.setgroups([])
        os.setgid(run_as)
        os.setuid(run_as)
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)
    data = (ctypes.c_uint32 * 6)()
    check(LIBC.capset(header, data), "capset")
    check(LIBC.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    with open("/proc/self/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb") and int(value, 16) != 0:
                raise OSError("capability set %s is still %s" % (key, value.strip()))
    if run_as is not None and (os.getuid() != run_as or os.geteuid() != run_as):
        raise OSError("still running as uid %d" % os.geteuid())


def set_limits(req):
    # RLIMIT_NPROC counts all of the user's processes, not the run's, and never binds root (which
    # is why the host's root runs code as nobody): a hard kernel backstop for a fork bomb that
    # outruns the supervisor's count, which is the per-run cap.
    limits = ((resource.RLIMIT_AS, req["memory"]), (resource.RLIMIT_CPU, req["cpu"]),
              (resource.RLIMIT_FSIZE, req["fsize"]), (resource.RLIMIT_NOFILE, req["nofile"]),
              (resource.RLIMIT_NPROC, req["nproc"] * 4 + 32), (resource.RLIMIT_CORE, 0))
    for which, value in limits:
        resource.setrlimit(which, (value, value))


def run_code(req, rundir, out_w, err_w):
    """The code's own process: never returns."""
    rc = 1
    try:
        for sig in (signal.SIGCHLD, signal.SIGPIPE, signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(out_w, 1)
        os.dup2(err_w, 2)
        os.closerange(3, 65536)
        os.chdir(rundir)
        os.environ["HOME"] = os.environ["TMPDIR"] = rundir
        tempfile.tempdir = rundir
        if req["isolated"]:
            drop_privileges(RUN_AS)
        set_limits(req)
        sys.argv = ["<code>"]
        try:
            code = compile(req["code"], "<code>", "exec")
        except SyntaxError as e:
            traceback.print_exception(type(e), e, None)
            os._exit(1)
        rc = 0
        exec(code, {"__name__": "__main__", "__builtins__": __builtins__})
    except SystemExit as e:
        if e.code is None:
            rc = 0
        elif isinstance(e.code, int):
            rc = e.code
        else:
            print(e.code, file=sys.stderr)
            rc = 1
    except BaseException as e:
        # The frames below the code's own are this server's: leave them out of the traceback.
        tb = e.__traceback__.tb_next if rc == 0 else e.__traceback__
        traceback.print_exception(type(e), e, tb)
        rc = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:
                pass
        os._exit(rc & 0xFF)


def run_processes():
    """The run's processes other than its supervisor: /proc is the run's own, mounted by it."""
    return [int(p) for p in os.listdir("/proc") if p.isdigit() and p != "1"]


def run_memory(pids):
    """Anonymous resident bytes of the run's processes, from statm, which (unlike smaps) takes no
    lock that a process busy forking holds. Pages still shared since fork count once per process
    that maps them, so this overestimates, never under."""
    total = 0
    for pid in pids:
        try:
            with open("/proc/%d/statm" % pid) as f:
                fields = f.read().split()
            total += (int(fields[1]) - int(fields[2])) * PAGE
        except (OSError, IndexError, ValueError):
            pass
    return total


def supervise(req, rundir, out_w, err_w, status_w):
    """pid 1 of the run's namespaces: never returns; its exit ends every process of the run."""
    report = {"error": "supervisor failed"}
    try:
        LIBC.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)  # the code may not ptrace or read its supervisor
        check(LIBC.unshare(CLONE_NEWNS), "unshare mount namespace")
        mount(None, "/", None, MS_REC | MS_PRIVATE)
        owner = ",uid=%d,gid=%d" % (RUN_AS, RUN_AS) if RUN_AS is not None else ""
        mount("tmpfs", rundir, "tmpfs", MS_NOSUID | MS_NODEV, "size=%d,mode=700%s" % (req["tmpfs"], owner))
        remount_read_only("/tmp")
        mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
        report = watch(req, start_code(req, rundir, out_w, err_w, status_w))
    except BaseException as e:
        report = {"error": "supervisor: %s" % e}
    finally:
        try:
            os.write(status_w, (json.dumps(report) + "\n").encode())
        finally:
            os._exit(0)


def start_code(req, rundir, out_w, err_w, status_w):
    """Forks the code's process; the supervisor keeps only the status pipe."""
    child = os.fork()
    if child == 0:
        os.close(status_w)
        run_code(req, rundir, out_w, err_w)
    os.close(out_w)
    os.close(err_w)
    return child


def exit_report(status):
    return {"signal": os.WTERMSIG(status)} if os.WIFSIGNALED(status) else {"exit": os.WEXITSTATUS(status)}


def watch(req, child):
    """Reaps everything (it is init), and ends the run when it exceeds its process or memory cap."""
    while True:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return {"error": "code process vanished"}
            if pid == 0:
                break
            if pid == child:
                return exit_report(status)
        pids = run_processes()
        if len(pids) > req["nproc"]:
            return {"limit": "more than %d processes" % req["nproc"]}
        if len(pids) > 1 and run_memory(pids) > req["memory"]:
            return {"limit": "more than %d bytes of memory across its processes" % req["memory"]}
        time.sleep(WATCH_INTERVAL)


def supervise_unisolated(req, rundir, out_w, err_w, status_w):
    """Without namespaces: a process group, killed whole at the end (a process that calls setsid escapes)."""
    os.setsid()
    _, status = os.waitpid(start_code(req, rundir, out_w, err_w, status_w), 0)
    os.write(status_w, (json.dumps(exit_report(status)) + "\n").encode())
    os.killpg(0, signal.SIGKILL)


class Capped:
    """One output stream, keeping its first and last `limit/2` bytes."""

    def __init__(self, limit):
        self.half = max(1, limit // 2)
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0

    def add(self, data):
        self.total += len(data)
        room = self.half - len(self.head)
        if room > 0:
            self.head += data[:room]
            data = data[room:]
        if data:
            self.tail += data
            if len(self.tail) > self.half:
                del self.tail[:len(self.tail) - self.half]

    def text(self):
        omitted = self.total - len(self.head) - len(self.tail)
        middle = b"\n... [%d bytes omitted] ...\n" % omitted if omitted else b""
        return (bytes(self.head) + middle + bytes(self.tail)).decode("utf-8", "replace")


class Run:
    def __init__(self, req, base, isolated):
        self.id = req["id"]
        self.rundir = tempfile.mkdtemp(prefix="run-", dir=base)
        self.out, self.err = Capped(req["output"]), Capped(req["output"])
        self.status = bytearray()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        status_r, status_w = os.pipe()
        self.start = time.monotonic()
        self.deadline = self.start + req["wall"]
        self.isolated = req["isolated"] = isolated
        if isolated:
            # setns back to our own pid namespace first: unshare(CLONE_NEWPID) may only be
            # called while the children's namespace is still the caller's own.
            check(LIBC.setns(OWN_PID_NS, CLONE_NEWPID), "setns")
            check(LIBC.unshare(CLONE_NEWPID), "unshare pid namespace")
        sys.stdout.flush()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(out_r)
            os.close(err_r)
            os.close(status_r)
            signal.set_wakeup_fd(-1)
            try:
                (supervise if isolated else supervise_unisolated)(req, self.rundir, out_w, err_w, status_w)
            finally:
                os._exit(1)
        for fd in (out_w, err_w, status_w):
            os.close(fd)
        self.fds = {out_r: self.out.add, err_r: self.err.add, status_r: self.status.extend}
        self.exit_status = None
        self.timed_out = False

    def kill(self):
        try:
            if self.isolated:
                os.kill(self.pid, signal.SIGKILL)
            else:
                os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def done(self):
        return self.exit_status is not None and not self.fds

    def response(self):
        seconds = time.monotonic() - self.start
        stderr = self.err.text()
        try:
            report = json.loads(self.status.decode() or "{}")
        except ValueError:
            report = {}
        if self.timed_out:
            status = "timeout"
        elif "exit" in report:
            status = "ok" if report["exit"] == 0 else "error"
        elif "signal" in report:
            sig = report["signal"]
            status = "timeout" if sig == signal.SIGXCPU else "killed"
            stderr += "\n[killed by %s]" % signal.Signals(sig).name
        elif "limit" in report:
            status = "killed"
            stderr += "\n[killed: %s]" % report["limit"]
        else:
            status = "error"
            stderr += "\n[%s]" % report.get("error", "the run ended without a status")
        shutil.rmtree(self.rundir, ignore_errors=True)
        return {"id": self.id, "status": status, "stdout": self.out.text(), "stderr": stderr, "seconds": seconds}


def own_pid_namespace():
    """An fd of the pid namespace the server is init-side of, one it may setns back to before each
    run. Bubblewrap without root puts us in a user namespace nested below the one that owns our
    pid namespace, where setns is refused: then the server moves into a new pid namespace of its
    own, by forking once; this process stays behind only to wait (and its death ends the server)."""
    fd = os.open("/proc/self/ns/pid", os.O_RDONLY)
    if LIBC.setns(fd, CLONE_NEWPID) == 0:
        return fd
    os.close(fd)
    check(LIBC.unshare(CLONE_NEWPID), "unshare pid namespace")
    server = os.fork()
    if server != 0:
        os.close(0)
        os.close(1)  # so that the JVM sees the server's end of the protocol when the server ends
        _, status = os.waitpid(server, 0)
        os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
    LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    return os.open("/proc/self/ns/pid", os.O_RDONLY)


def serve(isolated):
    base = tempfile.mkdtemp(prefix="euclid-runs-")
    protocol_out = os.fdopen(os.dup(1), "w")
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # a stray print of ours cannot corrupt the protocol
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    runs = {}
    by_fd = {}
    pending = bytearray()

    def send(obj):
        protocol_out.write(json.dumps(obj) + "\n")
        protocol_out.flush()

    send({"ready": True, "pid": os.getpid(), "python": sys.version.split()[0], "preloaded": PRELOADED,
          "isolated": isolated, "writable": WRITABLE, "base": base, "run_as": RUN_AS})
    stdin_open = True
    while stdin_open or runs:
        now = time.monotonic()
        timeout = min([r.deadline - now for r in runs.values() if not r.timed_out] + [1.0])
        fds = [wake_r] + ([0] if stdin_open else []) + list(by_fd)
        try:
            readable, _, _ = select.select(fds, [], [], max(0.0, timeout))
        except InterruptedError:
            readable = []
        for fd in readable:
            if fd == wake_r:
                os.read(wake_r, 4096)
            elif fd == 0:
                data = os.read(0, 1 << 16)
                if not data:
                    stdin_open = False
                    for run in runs.values():
                        run.kill()
                pending += data
                while b"\n" in pending:
                    line, _, rest = pending.partition(b"\n")
                    pending = bytearray(rest)
                    req = json.loads(line)
                    try:
                        run = Run(req, base, isolated)
                    except OSError as e:
                        send({"id": req["id"], "status": "error", "stdout": "", "stderr": "sandbox: %s" % e,
                              "seconds": 0.0})
                        continue
                    runs[run.pid] = run
                    for run_fd in run.fds:
                        by_fd[run_fd] = run
            else:
                run = by_fd[fd]
                data = os.read(fd, 1 << 16)
                if data:
                    run.fds[fd](data)
                else:
                    del run.fds[fd]
                    del by_fd[fd]
                    os.close(fd)
        now = time.monotonic()
        for run in runs.values():
            if not run.timed_out and run.exit_status is None and now >= run.deadline:
                run.timed_out = True
                run.kill()
        reap(runs, by_fd)
        for pid in [pid for pid, run in runs.items() if run.done()]:
            send(runs.pop(pid).response())
    shutil.rmtree(base, ignore_errors=True)


def reap(runs, by_fd):
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        run = runs.get(pid)
        if run is None:
            continue  # an orphan re-parented to us (we may be pid 1): reaping it is all there is to do
        run.exit_status = status
        if not run.isolated:
            # Without a namespace a detached process may hold the pipes open: take what is there.
            for fd in list(run.fds):
                os.set_blocking(fd, False)
                try:
                    while True:
                        data = os.read(fd, 1 << 16)
                        if not data:
                            break
                        run.fds[fd](data)
                except BlockingIOError:
                    pass
                del run.fds[fd]
                del by_fd[fd]
                os.close(fd)


if __name__ == "__main__":
    args = sys.argv[1:]
    ISOLATED = "--isolated" in args
    WRITABLE = []
    if "--setup-mounts" in args:
        i = args.index("--setup-mounts")
        hidden = args[i + 1]
        WRITABLE = setup_mounts(hidden if hidden != "-" else None, args[i + 2:])
    OWN_PID_NS = own_pid_namespace() if ISOLATED else -1
    RUN_AS = NOBODY if ISOLATED and host_root() else None
    # Objects that exist now are never collected, so neither the server's nor a run's collector
    # touches (and so copies) the pages shared since fork: forks get cheaper.
    gc.freeze()
    serve(ISOLATED)
