# Back end of the datapath: mvm, ewu, sph, fc. One cosimulation executable
# per (block, parameter set) and a lint of the same set.
#
# back_variant(NAME I H T C K CLASSES LANES GROUPS EWU_LANES FC_LANES BLOCKS...)
function(back_variant NAME I H T C K CL L G E F)
  set(p_mvm I=${I} H=${H} T=${T} C=${C} K=${K} LANES=${L} GROUPS=${G})
  set(p_ewu ${p_mvm} EWU_LANES=${E})
  set(p_sph H=${H} EWU_LANES=${E})
  set(p_fc H=${H} C=${C} K=${K} CLASSES=${CL} FC_LANES=${F})
  foreach(block ${ARGN})
    cosim_variant(${block} ${NAME} LINT PARAMS ${p_${block}})
  endforeach()
endfunction()

#                   I  H  T  C K CL LANES G  E  F
back_variant(default 28 28 28 7 4 10 112  1  7  4 mvm ewu sph fc)
back_variant(minimal 28 28 28 7 4 10 16   1  1  4 mvm ewu sph)
back_variant(wide    28 28 28 7 4 10 896  2 14  8 mvm ewu sph fc)
back_variant(fast4   28 28 28 7 4 10 224  1  7 16 fc)
# Small odd set: c = 5, k = 3, R = 2, B = 5, Wc = 3, Uc = 2, S = 2, Fb = 2,
# 4 classes (FC ROM depth 8, a power of two).
back_variant(odd     15 10  5 5 3  4 24   1  1  3 mvm ewu sph fc)
# S-P-H streaming h_t to a next layer (STREAM = 1): 4 beats of 7, 16 beats
# of 1 (the sent counter's widest), one beat of 10.
cosim_variant(sph stream_h28e7 LINT PARAMS H=28 EWU_LANES=7 STREAM=1)
cosim_variant(sph stream_h16e1 LINT PARAMS H=16 EWU_LANES=1 STREAM=1)
cosim_variant(sph stream_h10e10 LINT PARAMS H=10 EWU_LANES=10 STREAM=1)
