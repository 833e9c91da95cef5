"""Cost: the price table, the idle and usage estimator behind ``bp cost``, and the budget check."""
