# CNN front end: Conv1d, ReLU, MaxPool (included from CMakeLists.txt), each
# with a lint of the same parameter set.

# Conv1d: cnn_default (1 channel per beat), cnn_small (J = 4 beats per
# channel), cnn_fast (4 channels per beat, 4 pixels per beat); odd sizes:
# J = 3 with G = 6, 2 channels per beat with a whole row per pixel beat,
# and one multiplier (J = 6) with T = 1 (the first step is also the last);
# Q2.13 words in.
cosim_variant(conv1d cnn_default LINT PARAMS CNN_IN=28 CONV_LANES=84 PIX_PER_BEAT=1 I=28 T=14)
cosim_variant(conv1d cnn_small LINT PARAMS CNN_IN=28 CONV_LANES=21 PIX_PER_BEAT=1 I=28 T=14)
cosim_variant(conv1d cnn_fast LINT PARAMS CNN_IN=28 CONV_LANES=336 PIX_PER_BEAT=4 I=28 T=14)
cosim_variant(conv1d ci5l5 LINT PARAMS CNN_IN=5 CONV_LANES=5 PIX_PER_BEAT=1 I=6 T=3)
cosim_variant(conv1d ci5l30p5 LINT PARAMS CNN_IN=5 CONV_LANES=30 PIX_PER_BEAT=5 I=6 T=3)
cosim_variant(conv1d ci2l1t1 LINT PARAMS CNN_IN=2 CONV_LANES=1 PIX_PER_BEAT=2 I=2 T=1)
# Q2.13 word inputs (a design with "input": "words"): J = 3, 2 words per beat.
cosim_variant(conv1d words_ci6l6p2 LINT PARAMS CNN_IN=6 CONV_LANES=6 PIX_PER_BEAT=2 I=4 T=5 WORDS_IN=1)

# ReLU: CH_PER_BEAT 1 (cnn_default, cnn_small), 4 (cnn_fast), 3.
foreach(pc 1 4 3)
  cosim_variant(relu pc${pc} LINT PARAMS CH_PER_BEAT=${pc})
endforeach()

# MaxPool: cnn_default, cnn_fast; odd: 5 buffers, one beat per step.
cosim_variant(maxpool cnn_default LINT PARAMS I=28 CH_PER_BEAT=1 SPX_BUFFERS=2)
cosim_variant(maxpool cnn_fast LINT PARAMS I=28 CH_PER_BEAT=4 SPX_BUFFERS=3)
cosim_variant(maxpool i6pc2nb5 LINT PARAMS I=6 CH_PER_BEAT=2 SPX_BUFFERS=5)
cosim_variant(maxpool i6pc6nb2 LINT PARAMS I=6 CH_PER_BEAT=6 SPX_BUFFERS=2)
