# Back end of the datapath: mvm, ewu, sph, fc. One cosimulation executable
# per (block, parameter set), label cosim, and a Verilator -Wall lint of the
# same parameter set, label unit (lint.<block>.<set>).
#
# back_variant(NAME I H T C K CLASSES LANES GROUPS EWU_LANES FC_LANES BLOCKS...)
function(back_variant NAME I H T C K CL L G E F)
  set(defs COSIM_I=${I} COSIM_H=${H} COSIM_T=${T} COSIM_C=${C} COSIM_K=${K} COSIM_CLASSES=${CL}
    COSIM_LANES=${L} COSIM_GROUPS=${G} COSIM_EWU=${E} COSIM_FC=${F})
  set(p_mvm -GI=${I} -GH=${H} -GT=${T} -GC=${C} -GK=${K} -GLANES=${L} -GGROUPS=${G})
  set(p_ewu ${p_mvm} -GEWU_LANES=${E})
  set(p_sph -GH=${H} -GEWU_LANES=${E})
  set(p_fc -GH=${H} -GC=${C} -GK=${K} -GCLASSES=${CL} -GFC_LANES=${F})
  foreach(block ${ARGN})
    cosim_variant(${block} ${NAME} ${COSIM_CYCLES} PARAMS ${p_${block}} DEFS ${defs})
    add_test(NAME lint.${block}.${NAME}
      COMMAND ${VERILATOR_BIN} --lint-only -Wall ${RTL_INCLUDE_FLAG} --top-module ${block} ${p_${block}}
              ${PROJECT_SOURCE_DIR}/rtl/${block}.v)
    set_tests_properties(lint.${block}.${NAME} PROPERTIES LABELS "unit;lint")
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
