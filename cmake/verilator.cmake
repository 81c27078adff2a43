# Verilator for every Verilated target, in one place: the runtime
# (verilated.cpp, verilated_vcd_c.cpp, verilated_threads.cpp) is compiled
# once per flavour (--cc, --sc) into a static library that every target
# links, instead of once per target as verilate() does.
include_guard(GLOBAL)
find_package(verilator REQUIRED HINTS /usr/share/verilator $ENV{VERILATOR_ROOT})
find_program(VERILATOR_BIN verilator REQUIRED)

set(_vl_rt_sources ${VERILATOR_ROOT}/include/verilated.cpp ${VERILATOR_ROOT}/include/verilated_vcd_c.cpp
  ${VERILATOR_ROOT}/include/verilated_threads.cpp)
foreach(flavour cc sc)
  set(lib verilated_${flavour})
  add_library(${lib} STATIC ${_vl_rt_sources})
  target_include_directories(${lib} SYSTEM PUBLIC ${VERILATOR_ROOT}/include ${VERILATOR_ROOT}/include/vltstd)
  find_package(Threads REQUIRED)
  target_link_libraries(${lib} PUBLIC Threads::Threads)
  # Not our code to warn about (nor to sanitize).
  target_compile_options(${lib} PRIVATE -w)
  if(LSTM_SANITIZE)
    target_compile_options(${lib} PRIVATE -fno-sanitize=all)
  endif()
  if(flavour STREQUAL sc)
    target_compile_definitions(${lib} PUBLIC VM_SC=1 VM_TRACE=1 VM_TRACE_VCD=1 VM_COVERAGE=0 VM_TRACE_FST=0)
    target_link_libraries(${lib} PUBLIC PkgConfig::SYSTEMC)
  else()
    target_compile_definitions(${lib} PUBLIC VM_SC=0 VM_TRACE=0 VM_TRACE_VCD=0 VM_COVERAGE=0 VM_TRACE_FST=0)
  endif()
endforeach()

# lstm_verilate(<target> [SYSTEMC] PREFIX <prefix> [CXX_OPT <flags>] <verilate() arguments...>):
# the Verilated model goes into its own static library <target>_<prefix>,
# linked by <target>: its generated C++ (a dozen files, each parsing
# systemc.h) compiles as one unity file, as Verilator's own Makefile does
# without VM_PARALLEL_BUILDS; CXX_OPT (e.g. -O1 for the cosimulations)
# sets its optimisation; it is not instrumented by LSTM_SANITIZE (generated
# code; the test bench and the models around it are). The library links
# verilated_cc or verilated_sc (a target that already holds a --sc model
# keeps the --sc runtime for the next). SYSTEMC also turns tracing on
# (every --sc model here traces). Every model gets -I rtl (the generated
# rtl/derived/<module>.vh headers).
function(lstm_verilate TGT)
  cmake_parse_arguments(LV "SYSTEMC" "PREFIX" "VERILATOR_ARGS;CXX_OPT" ${ARGN})
  set(lib ${TGT}_${LV_PREFIX})
  add_library(${lib} STATIC)
  set(args PREFIX ${LV_PREFIX} ${LV_UNPARSED_ARGUMENTS} VERILATOR_ARGS -I${PROJECT_SOURCE_DIR}/rtl ${LV_VERILATOR_ARGS})
  get_target_property(has_sc ${TGT} LSTM_VERILATED_SC)
  if(LV_SYSTEMC)
    verilate(${lib} SYSTEMC TRACE ${args})
    set(rt verilated_sc)
    set_target_properties(${TGT} PROPERTIES LSTM_VERILATED_SC ON)
  else()
    verilate(${lib} ${args})
    set(rt verilated_cc)
    if(has_sc)
      set(rt verilated_sc)
    endif()
  endif()
  get_target_property(srcs ${lib} SOURCES)
  list(FILTER srcs EXCLUDE REGEX "^${VERILATOR_ROOT}/include/.*\\.cpp$")
  set_target_properties(${lib} PROPERTIES SOURCES "${srcs}" UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 0)
  target_link_libraries(${lib} PUBLIC ${rt})
  # Verilator's headers and generated code are not ours to warn about.
  target_include_directories(${lib} SYSTEM PUBLIC ${VERILATOR_ROOT}/include ${VERILATOR_ROOT}/include/vltstd)
  target_compile_options(${lib} PRIVATE -w ${LV_CXX_OPT})
  if(LSTM_SANITIZE)
    target_compile_options(${lib} PRIVATE -fno-sanitize=all)
  endif()
  target_link_libraries(${TGT} PRIVATE ${lib})
endfunction()
