

€‡§€ €€@(8@H" ""  "* * 2oops2samples2count2cpu2nanoseconds2	main.main2	main.work2main.go2	/bin/prog2k2vH€€¨±ãŸçËP€”ëÜZ`€­â