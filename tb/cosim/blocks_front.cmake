# Cosimulation of S-P-X, controller, KMUX and arg-max (included from
# CMakeLists.txt): one executable per (block, parameter set), plus a lint of
# the RTL at the same parameters (lint.<block>.<set>).

# S-P-X: default, fast4, and odd sizes: 5 buffers, 1 beat per row.
cosim_variant(spx default LINT PARAMS I=28 PIX_PER_BEAT=1 SPX_BUFFERS=2)
cosim_variant(spx fast4 LINT PARAMS I=28 PIX_PER_BEAT=4 SPX_BUFFERS=3)
cosim_variant(spx i15p3nb5 LINT PARAMS I=15 PIX_PER_BEAT=3 SPX_BUFFERS=5)
cosim_variant(spx i4p4nb4 LINT PARAMS I=4 PIX_PER_BEAT=4 SPX_BUFFERS=4)
# A stacked layer's input: the layer below's h_t as Q2.13 words.
cosim_variant(spx words_i28p7 LINT PARAMS I=28 PIX_PER_BEAT=7 SPX_BUFFERS=2 WORDS_IN=1)
cosim_variant(spx words_i15p1nb3 LINT PARAMS I=15 PIX_PER_BEAT=1 SPX_BUFFERS=3 WORDS_IN=1)

# Controller and KMUX: default, minimal and wide of sc_model/configs
# (B = 4, 28, 1) and two small odd ones: odd has WC = 2 != UC = 3, B = 5,
# C = 5 (idx not a power of 2), T = 3; tiny has WC = 1, GROUPS = 2, K = 1,
# T = 1.
foreach(blk controller kmux)
  cosim_variant(${blk} default LINT PARAMS I=28 H=28 T=28 C=7 K=4 LANES=112 GROUPS=1)
  cosim_variant(${blk} minimal LINT PARAMS I=28 H=28 T=28 C=7 K=4 LANES=16 GROUPS=1)
  cosim_variant(${blk} wide LINT PARAMS I=28 H=28 T=28 C=7 K=4 LANES=896 GROUPS=2)
  cosim_variant(${blk} odd LINT PARAMS I=10 H=15 T=3 C=5 K=3 LANES=36 GROUPS=1)
  cosim_variant(${blk} tiny LINT PARAMS I=4 H=8 T=1 C=2 K=1 LANES=16 GROUPS=2)
endforeach()

# Arg-max: CLASSES (10 of every config; 1, 2: a 1-bit class port; 17).
foreach(cl 10 1 2 17)
  cosim_variant(argmax c${cl} LINT PARAMS CLASSES=${cl})
endforeach()
