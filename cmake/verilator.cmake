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

# lstm_verilate(<target> [SYSTEMC] PREFIX <prefix> TOP_MODULE <module>
#               SOURCES <.v...> [VERILATOR_ARGS <args...>] [CXX_OPT <flags>]
#               [PCH <target>]):
# the Verilated model goes into its own static library <target>_<prefix>,
# linked by <target>. Verilator runs at build time only (in parallel with
# the other steps), never at configure time as verilate() does (85 serial
# runs there); its generated C++ (a dozen files, each parsing systemc.h)
# compiles as two unity files (cmake/verilator_unity.cmake: the run-time
# code, and the construction and VCD code at -O0). CXX_OPT (e.g. -O1 for the cosimulations) sets its
# optimisation; it is not instrumented by LSTM_SANITIZE (generated code;
# the test bench and the models around it are). The library links
# verilated_cc or verilated_sc (a target that already holds a --sc model
# keeps the --sc runtime for the next). SYSTEMC also turns tracing on
# (every --sc model here traces). Every model gets -I rtl (the generated
# rtl/derived/<module>.vh headers). PCH: reuse that target's precompiled
# headers (systemc.h and verilated.h: most of a small model's compile).
function(lstm_verilate TGT)
  file(GLOB rtl_deps CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/rtl/*.v ${PROJECT_SOURCE_DIR}/rtl/derived/*.vh)
  cmake_parse_arguments(LV "SYSTEMC" "PREFIX;TOP_MODULE;PCH" "SOURCES;VERILATOR_ARGS;CXX_OPT" ${ARGN})
  set(lib ${TGT}_${LV_PREFIX})
  set(vdir ${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/${lib}.dir/${LV_PREFIX}.dir)
  set(unity ${vdir}/${LV_PREFIX}__unity.cpp)
  set(unity_slow ${vdir}/${LV_PREFIX}__unity_slow.cpp)
  get_target_property(has_sc ${TGT} LSTM_VERILATED_SC)
  if(LV_SYSTEMC)
    set(mode --sc --trace)
    set(rt verilated_sc)
    set_target_properties(${TGT} PROPERTIES LSTM_VERILATED_SC ON)
  else()
    set(mode --cc)
    set(rt verilated_cc)
    if(has_sc)
      set(rt verilated_sc)
    endif()
  endif()
  # The command line in a file the command depends on: a changed parameter
  # re-runs Verilator (a Makefile rule only sees files).
  set(cmd ${VERILATOR_BIN} ${mode} --prefix ${LV_PREFIX} --Mdir ${vdir} --top-module ${LV_TOP_MODULE}
    -I${PROJECT_SOURCE_DIR}/rtl ${LV_VERILATOR_ARGS} ${LV_SOURCES})
  set(stamp ${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/${lib}.dir/verilator_args.txt)
  set(old "")
  if(EXISTS ${stamp})
    file(READ ${stamp} old)
  endif()
  if(NOT old STREQUAL "${cmd}")
    file(WRITE ${stamp} "${cmd}")
  endif()
  # A fresh output directory each run: a changed design may split into
  # fewer files, and the unity file includes every V<prefix>*.cpp there.
  add_custom_command(OUTPUT ${unity} ${unity_slow} BYPRODUCTS ${vdir}/${LV_PREFIX}.h
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${vdir}
    COMMAND ${cmd}
    COMMAND ${CMAKE_COMMAND} -DDIR=${vdir} -DPREFIX=${LV_PREFIX} -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/verilator_unity.cmake
    DEPENDS ${LV_SOURCES} ${rtl_deps} ${VERILATOR_BIN} ${stamp} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/verilator_unity.cmake
    COMMENT "Verilating ${LV_TOP_MODULE} (${LV_PREFIX})" VERBATIM)
  add_library(${lib} STATIC ${unity} ${unity_slow})
  # Construction and VCD code (verilator_unity.cmake) at -O0: it runs once
  # or only while tracing, and compiles in half the time. (Not with the
  # precompiled headers, which are -O1 or -O3.)
  set_source_files_properties(${unity_slow} PROPERTIES COMPILE_OPTIONS -O0 SKIP_PRECOMPILE_HEADERS ON)
  # Built only when its target is (lstmbench_<config> is not in `all`).
  get_target_property(exclude ${TGT} EXCLUDE_FROM_ALL)
  if(exclude)
    set_target_properties(${lib} PROPERTIES EXCLUDE_FROM_ALL ON)
  endif()
  target_link_libraries(${lib} PUBLIC ${rt})
  # Verilator's headers and generated code are not ours to warn about.
  target_include_directories(${lib} SYSTEM PUBLIC ${vdir} ${VERILATOR_ROOT}/include ${VERILATOR_ROOT}/include/vltstd)
  target_compile_options(${lib} PRIVATE -w ${LV_CXX_OPT})
  if(LSTM_SANITIZE)
    target_compile_options(${lib} PRIVATE -fno-sanitize=all)
  elseif(LV_PCH)
    target_precompile_headers(${lib} REUSE_FROM ${LV_PCH})
  endif()
  target_link_libraries(${TGT} PRIVATE ${lib})
endfunction()
