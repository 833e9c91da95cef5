raise RuntimeError("the program failed on purpose")
