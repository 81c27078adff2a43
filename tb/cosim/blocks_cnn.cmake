# CNN front end: Conv1d, ReLU, MaxPool (included from CMakeLists.txt after
# blocks_front.cmake, whose front_variant() adds the cosimulation and the
# `verilator --lint-only -Wall` test lint.<block>.<set>).

# Conv1d: name:CNN_IN:CONV_LANES:PIX_PER_BEAT:I:T. cnn_default (1 channel
# per beat), cnn_small (J = 4 beats per channel), cnn_fast (4 channels per
# beat, 4 pixels per beat); odd sizes: J = 3 with G = 6, 2 channels per
# beat with a whole row per pixel beat, and one multiplier (J = 6) with
# T = 1 (the first step is also the last).
foreach(set cnn_default:28:84:1:28:14 cnn_small:28:21:1:28:14 cnn_fast:28:336:4:28:14
            ci5l5:5:5:1:6:3 ci5l30p5:5:30:5:6:3 ci2l1t1:2:1:2:2:1)
  string(REPLACE ":" ";" v ${set})
  list(GET v 0 n)
  list(GET v 1 ci)
  list(GET v 2 l)
  list(GET v 3 p)
  list(GET v 4 i)
  list(GET v 5 t)
  front_variant(conv1d ${n} PARAMS -GCNN_IN=${ci} -GCONV_LANES=${l} -GPIX_PER_BEAT=${p} -GI=${i} -GT=${t}
    DEFS COSIM_CI=${ci} COSIM_L=${l} COSIM_P=${p} COSIM_I=${i} COSIM_T=${t})
endforeach()

# ReLU: CH_PER_BEAT 1 (cnn_default, cnn_small), 4 (cnn_fast), 3.
foreach(pc 1 4 3)
  front_variant(relu pc${pc} PARAMS -GCH_PER_BEAT=${pc} DEFS COSIM_PC=${pc})
endforeach()

# MaxPool: name:I:CH_PER_BEAT:SPX_BUFFERS (cnn_default, cnn_fast; odd: 5
# buffers, one beat per step).
foreach(set cnn_default:28:1:2 cnn_fast:28:4:3 i6pc2nb5:6:2:5 i6pc6nb2:6:6:2)
  string(REPLACE ":" ";" v ${set})
  list(GET v 0 n)
  list(GET v 1 i)
  list(GET v 2 pc)
  list(GET v 3 nb)
  front_variant(maxpool ${n} PARAMS -GI=${i} -GCH_PER_BEAT=${pc} -GSPX_BUFFERS=${nb}
    DEFS COSIM_I=${i} COSIM_PC=${pc} COSIM_NB=${nb})
endforeach()
