# hexnum.awk - num(S): S as a number, whether decimal or 0x-prefixed hex
# (QEMU's trace prints both; awk's own conversion takes only decimal).
# Loaded before the scripts that use it: awk -f hexnum.awk -f SCRIPT.
function num(s,    i, v) {
	if (s !~ /^0x/)
		return s + 0
	v = 0
	for (i = 3; i <= length(s); i++)
		v = v * 16 + index("0123456789abcdef", tolower(substr(s, i, 1))) - 1
	return v
}
