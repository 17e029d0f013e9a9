import math, struct, random, hashlib, json, re, datetime, pickle, sys, os, threading, subprocess, base64, heapq, functools, itertools
out = []
p = out.append
p(repr([math.sin(x/7) for x in range(5)]))
p(repr([math.exp(x/3) for x in range(-3,4)]))
p(repr([math.log(x) for x in (2, 10, 1e-300, 1e300)]))
p(repr(math.atan2(1, 3)) + repr(math.pow(2.5, 3.7)) + repr(math.fsum([0.1]*10)))
p(repr(struct.pack('<dqf', 1/3, -2**40, 0.1)))
random.seed(12345); p(repr([random.random() for _ in range(3)]) + repr(random.randint(0, 10**30)))
p(hashlib.sha256(b'abc'*1000).hexdigest()); p(hashlib.md5(b'hello').hexdigest()); p(hashlib.sha1(b'x'*100000).hexdigest())
p(hashlib.sha512(b'q').hexdigest()[:32]); p(hashlib.blake2b(b'abc').hexdigest()[:32]); p(hashlib.sha3_256(b'abc').hexdigest())
p(json.dumps({'a': [1, 2.5, None, True], 'b': 'é\u1234'}, sort_keys=True)); p(repr(json.loads('[1e308, 1.7976931348623157e308, 5e-324]')))
p(repr(re.findall(r'(\w+)@(\w+)\.com', 'x a@b.com c@d.com')) + re.sub(r'\d+', lambda m: str(int(m.group())*2), 'a1b22c333'))
p(str(datetime.datetime(2020, 2, 29, 12, 0) + datetime.timedelta(days=400, seconds=12345)))
p(repr(pickle.loads(pickle.dumps({1: (2, 3.5, 'x')}))))
p(str(2**1000 % (10**9+7)) + ' ' + str(pow(3, 10**5, 10**40)) + ' ' + str(math.factorial(200))[:40] + ' ' + str(12345678901234567890**5 // 987654321))
p(repr(float('1e-320')) + repr(1e22) + repr(0.1+0.2) + '%.17g' % (1/7) + format(2.5e-8, '.30f'))
p(repr(sorted([random.random() for _ in range(50)])[:3]))
p(base64.b64encode(bytes(range(256))).decode()[:60])
p(repr(list(itertools.islice(itertools.permutations('abcd'), 5))))
r = []
def w(i): r.append(sum(range(i*1000)))
ts = [threading.Thread(target=w, args=(i,)) for i in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]; p(repr(sorted(r)))
cp = subprocess.run([sys.executable, '-c', 'import sys; print(sys.argv, 6*7); sys.exit(3)', 'z'], capture_output=True, text=True)
p(repr((cp.returncode, cp.stdout)))
p(repr(os.getcwd()) + repr(os.path.exists('/tmp')))
print('\n'.join(out))
