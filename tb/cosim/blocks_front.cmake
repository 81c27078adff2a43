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
      COMMAND ${COSIM_VERILATOR_EXE} --lint-only -Wall ${FV_PARAMS} ${PROJECT_SOURCE_DIR}/rtl/${BLOCK}.v)
    set_tests_properties(lint.${BLOCK}.${NAME} PROPERTIES LABELS unit)
  endif()
endfunction()

# S-P-X: I, PIX_PER_BEAT, SPX_BUFFERS.
foreach(v "default;28;1;2" "fast4;28;4;3" "i15p3nb5;15;3;5" "i4p4nb4;4;4;4")
  list(GET v 0 n)
  list(GET v 1 i)
  list(GET v 2 p)
  list(GET v 3 nb)
  front_variant(spx ${n} PARAMS -GI=${i} -GPIX_PER_BEAT=${p} -GSPX_BUFFERS=${nb}
    DEFS COSIM_I=${i} COSIM_P=${p} COSIM_NB=${nb})
endforeach()
