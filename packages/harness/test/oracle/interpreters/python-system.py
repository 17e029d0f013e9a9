# python3.11 through the system interface: signals and timers, fork/wait, pipes, socketpair, select,
# mmap, fcntl locks, files and directories, and the compression and number modules in C
import os, sys, signal, time, mmap, fcntl, socket, select, errno, stat, zlib, bz2, lzma, decimal, fractions, statistics, array, binascii, tempfile
out = []
p = out.append
got = []
signal.signal(signal.SIGALRM, lambda s, f: got.append(s))
signal.setitimer(signal.ITIMER_REAL, 0.05)
while not got: signal.pause()
p('alarm %r %r' % (got, signal.getitimer(signal.ITIMER_REAL)))
signal.signal(signal.SIGUSR1, lambda s, f: got.append(-s)); os.kill(os.getpid(), signal.SIGUSR1); p('usr1 %r' % got)
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r); os.write(w, b'from child %d' % os.getppid()); os._exit(7)
os.close(w); data = os.read(r, 100); _, st = os.waitpid(pid, 0)
p('fork %r %r %r' % (data == b'from child %d' % os.getpid(), os.WEXITSTATUS(st), os.WIFEXITED(st)))
pid = os.fork()
if pid == 0:
    signal.signal(signal.SIGTERM, signal.SIG_DFL); time.sleep(10); os._exit(0)
os.kill(pid, signal.SIGTERM); _, st = os.waitpid(pid, 0); p('killed %r %r' % (os.WIFSIGNALED(st), os.WTERMSIG(st)))
a, b = socket.socketpair()
a.sendall(b'x' * 100000); b.setblocking(False)
n = 0
while n < 100000:
    rl, _, _ = select.select([b], [], [], 1); n += len(b.recv(65536))
p('socketpair %d %r' % (n, select.select([b], [], [], 0)[0]))
a.close(); p('eof %r' % b.recv(10))
d = tempfile.mkdtemp(dir='.')
fn = os.path.join(d, 'f')
with open(fn, 'wb') as f: f.write(bytes(range(256)) * 64)
with open(fn, 'r+b') as f:
    m = mmap.mmap(f.fileno(), 0); m[0:4] = b'ABCD'; p('mmap %d %r %r' % (len(m), m[:6], m.find(b'\xff\x00'))); m.flush(); m.close()
    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB); p('lock ok')
    try: fcntl.flock(f, fcntl.LOCK_SH | fcntl.LOCK_NB); p('flock ok')
    except OSError as e: p('flock %s' % errno.errorcode[e.errno])
st = os.stat(fn); p('stat %d %o %r' % (st.st_size, stat.S_IMODE(st.st_mode), stat.S_ISREG(st.st_mode)))
os.symlink('f', os.path.join(d, 'l')); os.mkdir(os.path.join(d, 'sub')); os.rename(fn, os.path.join(d, 'sub', 'g'))
p('tree %r %r' % (sorted(os.listdir(d)), os.readlink(os.path.join(d, 'l'))))
try: os.stat(os.path.join(d, 'l'))
except FileNotFoundError as e: p('dangling %s' % e.strerror)
try: os.rmdir(d)
except OSError as e: p('rmdir %s' % errno.errorcode[e.errno])
raw = b'hello world ' * 5000
p('zlib %d %08x %d' % (len(zlib.compress(raw, 9)), zlib.crc32(raw), zlib.adler32(raw)))
p('bz2 %d lzma %d %r' % (len(bz2.compress(raw)), len(lzma.compress(raw)), lzma.decompress(lzma.compress(raw)) == raw))
decimal.getcontext().prec = 50
p('decimal %s %s' % (decimal.Decimal(2).sqrt(), decimal.Decimal(1) / decimal.Decimal(7)))
p('fractions %s %s' % (fractions.Fraction(3, 7) ** 5, fractions.Fraction(0.1)))
p('statistics %r %r %r' % (statistics.mean([1.5, 2.5, 3.25]), statistics.stdev(range(100)), statistics.median([3, 1, 4, 1, 5])))
p('array %r %s' % (array.array('d', [1.5, -2.25]).tobytes(), binascii.hexlify(array.array('i', range(4)).tobytes()).decode()))
p('time %r %r' % (time.strftime('%Y-%m-%d %H:%M:%S %Z', time.gmtime(1234567890)), time.localtime(0)[:6]))
p('errors %r' % [os.strerror(e) for e in (errno.ENOENT, errno.EACCES, errno.EPIPE)])
try: open('/no/such')
except OSError as e: p('open %r' % ((e.errno, e.strerror),))
p('uname %r %r' % (os.uname().sysname, sys.maxsize))
print('\n'.join(out))
