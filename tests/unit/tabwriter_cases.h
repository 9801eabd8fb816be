	check("bytes:\t Total 3.4MB\n \t1.2MB (36.37%):\t 80B\n \t543.6kB (15.54%):\t 240B\n\n", " bytes: Total 3.4MB\n          1.2MB (36.37%): 80B\n        543.6kB (15.54%): 240B\n\n", "key line then right-aligned values");
	check("a\tb\tc\nlonger\tx\ty\nplain\nz\tw\n", "      a bc\n longer xy\nplain\n zw\n", "a line without tabs ends the block");
	check("a\tbb\tccc\td\nee\tf\n\tgggg\th\ti\n", "  a bb cccd\n eef\n    gggg hi\n", "nested column blocks");
	check("éé\tx\nabc\ty\n", "  ééx\n abcy\n", "multi-byte characters count once");
	check("a\tb\nccc\td", "   ab\n cccd", "unterminated last line");
	check("\t\tx\n\tyy\tz\n", "    x\n  yyz\n", "empty cells");
