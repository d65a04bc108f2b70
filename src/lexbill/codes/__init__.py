"""UTBMS code sets shipped as data (data/*.csv), and the rules that check an entry's codes against them."""
