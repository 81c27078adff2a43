# Cosimulation of S-P-X, controller, KMUX and arg-max (included from
# CMakeLists.txt): one executable per (block, parameter set), plus a
# `verilator --lint-only -Wall` test of the RTL at the same parameters
# (label unit, lint.<block>.<set>).
find_program(COSIM_VERILATOR_EXE verilator)

# front_variant(BLOCK NAME PARAMS <-Gx=y...> DEFS <C defines...>)
function(front_variant BLOCK NAME)
  cmake_parse_arguments(FV "" "" "PARAMS;DEFS" ${ARGN})
  cosim_variant(${BLOCK} ${NAME} ${COSIM_CYCLES} PARAMS ${FV_PARAMS} DEFS ${FV_DEFS})
  if(COSIM_VERILATOR_EXE AND NOT TEST lint.${BLOCK}.${NAME})
    add_test(NAME lint.${BLOCK}.${NAME}
      COMMAND ${COSIM_VERILATOR_EXE} --lint-only -Wall ${RTL_INCLUDE_FLAG} ${FV_PARAMS} ${PROJECT_SOURCE_DIR}/rtl/${BLOCK}.v)
    set_tests_properties(lint.${BLOCK}.${NAME} PROPERTIES LABELS "unit;lint")
  endif()
endfunction()

# S-P-X: name:I:PIX_PER_BEAT:SPX_BUFFERS (default, fast4, and odd sizes:
# 5 buffers, 1 beat per row).
foreach(set default:28:1:2 fast4:28:4:3 i15p3nb5:15:3:5 i4p4nb4:4:4:4)
  string(REPLACE ":" ";" v ${set})
  list(GET v 0 n)
  list(GET v 1 i)
  list(GET v 2 p)
  list(GET v 3 nb)
  front_variant(spx ${n} PARAMS -GI=${i} -GPIX_PER_BEAT=${p} -GSPX_BUFFERS=${nb}
    DEFS COSIM_I=${i} COSIM_P=${p} COSIM_NB=${nb})
endforeach()

# Controller and KMUX: name:I:H:T:C:K:LANES:GROUPS (default, minimal and wide
# of sc_model/configs: B = 4, 28, 1; and two small odd ones: odd has
# WC = 2 != UC = 3, B = 5, C = 5 (idx not a power of 2), T = 3; tiny has
# WC = 1, GROUPS = 2, K = 1, T = 1).
foreach(blk controller kmux)
  foreach(set default:28:28:28:7:4:112:1 minimal:28:28:28:7:4:16:1 wide:28:28:28:7:4:896:2
              odd:10:15:3:5:3:36:1 tiny:4:8:1:2:1:16:2)
    string(REPLACE ":" ";" v ${set})
    list(GET v 0 n)
    list(GET v 1 i)
    list(GET v 2 h)
    list(GET v 3 t)
    list(GET v 4 c)
    list(GET v 5 k)
    list(GET v 6 l)
    list(GET v 7 g)
    front_variant(${blk} ${n} PARAMS -GI=${i} -GH=${h} -GT=${t} -GC=${c} -GK=${k} -GLANES=${l} -GGROUPS=${g}
      DEFS COSIM_I=${i} COSIM_H=${h} COSIM_T=${t} COSIM_C=${c} COSIM_K=${k} COSIM_L=${l} COSIM_G=${g})
  endforeach()
endforeach()

# Arg-max: CLASSES (10 of every config; 1, 2: a 1-bit class port; 17).
foreach(cl 10 1 2 17)
  front_variant(argmax c${cl} PARAMS -GCLASSES=${cl} DEFS COSIM_CLASSES=${cl})
endforeach()
