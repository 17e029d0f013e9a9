-- lua5.4: integers and floats, string.format, patterns, tables and sort, closures, coroutines,
-- string.pack, utf8, os.date with TZ=UTC, io to a file, os.execute and io.popen of /bin/sh
local out = {}
local function p(...) local a = table.pack(...) for i = 1, a.n do a[i] = tostring(a[i]) end out[#out + 1] = table.concat(a, ' ', 1, a.n) end
p(string.format('%.17g %.10e %g %a %5.2f %d %x', 1/3, math.exp(1), 1e-5, 0.1, -2.345, math.maxinteger, 255))
p(tostring(2^63), tostring(math.maxinteger + 1), tostring(7 // 2), tostring(-7 // 2), tostring(7 % -3), tostring(-7.5 % 2), tostring(1/0), tostring(0/0 ~= 0/0))
local t = {} for i = 1, 12 do t[i] = math.sin(i) end
p(string.format('%.15g %.15g %.15g %.15g', math.log(10), math.atan(1, 3), math.sqrt(2), math.fmod(10, 3)))
table.sort(t, function(a, b) return a > b end) p(string.format('%.6f %.6f', t[1], t[12]))
local words = {} for w in ('the quick brown fox jumps over the lazy dog'):gmatch('%a+') do words[#words + 1] = w:upper() end
table.sort(words) p(table.concat(words, ','))
p((('hello world 42 and 7'):gsub('%d+', function(d) return tostring(d * 2) end)), (('key = value'):match('^(%w+)%s*=%s*(%w+)$')))
local function counter() local n = 0 return function() n = n + 1 return n end end
local c = counter() c() c() p('closure', c())
local co = coroutine.wrap(function(a) for i = 1, 3 do a = coroutine.yield(a * i) end return 'done' end)
p('co', co(10), co(20), co(30), co(40))
local packed = string.pack('<i4 d s1 z', -2, 1/7, 'abc', 'zed')
p(#packed, (packed:gsub('.', function(ch) return string.format('%02x', ch:byte()) end)))
p(string.unpack('<i4 d s1 z', packed))
p(utf8.char(233, 9786), utf8.len('\u{e9}\u{263a}'), utf8.codepoint('\u{263a}'))
p(os.date('!%Y-%m-%d %H:%M:%S %j %a', 1234567890), os.date('%c', 0), os.time({year = 2020, month = 2, day = 29, hour = 12}))
local f = assert(io.open('data.txt', 'w')) for i = 1, 1000 do f:write(i * i, '\n') end f:close()
local s = 0 for l in io.lines('data.txt') do s = s + tonumber(l) end p('sum', s)
local h = io.popen('echo from-sh; exit 3') p(h:read('a'):gsub('\n', ''), h:close())
p(os.execute('exit 5'))
local ok, err = pcall(function() error({code = 42}) end) p(tostring(ok), err.code)
p(select('#', pcall(error)), math.type(1), math.type(1.0), math.tointeger(3.0), string.rep('ab', 3, '-'))
local big = {} for i = 1, 100000 do big[i] = (i * 7919) % 100003 end table.sort(big) p(big[1], big[50000], big[100000])
print(table.concat(out, '\n'))
