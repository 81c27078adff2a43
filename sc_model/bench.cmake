# lstmbench_<config>: the simulation-speed benchmark (docs/performance.md),
# one binary per config because the Verilated RTL is compiled per config.
# Not built by default (not a test): make lstmbench_default lstmbench_large1024
function(add_lstmbench CFG)
  set(json ${PROJECT_SOURCE_DIR}/sc_model/configs/${CFG}.json)
  arch_params(${json} params)
  string(REPLACE ";" " " params_str "${params}")
  arch_derived(${json} d CLASS_W)
  file(READ ${json} j)
  string(JSON P GET "${j}" pixels_per_beat)
  string(JSON CL GET "${j}" classes)
  set(cw ${dCLASS_W})
  set(tgt lstmbench_${CFG})
  add_executable(${tgt} EXCLUDE_FROM_ALL tools/lstmbench.cpp)
  target_link_libraries(${tgt} PRIVATE lstm_sc CLI11::CLI11)
  target_compile_definitions(${tgt} PRIVATE BENCH_CONFIG="${CFG}" BENCH_RTL_PARAMS="${params_str}"
    BENCH_PLAIN=Vbench_${CFG} BENCH_PLAIN_H="Vbench_${CFG}.h" BENCH_SC=Vbench_sc_${CFG} BENCH_SC_H="Vbench_sc_${CFG}.h"
    BENCH_P=${P} BENCH_CLASSES=${CL} BENCH_CLASS_W=${cw})
  # The --sc model first: the target links the --sc runtime (lstm_verilate).
  lstm_verilate(${tgt} SYSTEMC PREFIX Vbench_sc_${CFG} TOP_MODULE lstm_accel SOURCES ${RTL_SOURCES}
    VERILATOR_ARGS -O3 --pins-bv 2 -Wno-fatal ${params})
  lstm_verilate(${tgt} PREFIX Vbench_${CFG} TOP_MODULE lstm_accel SOURCES ${RTL_SOURCES}
    VERILATOR_ARGS -O3 -Wno-fatal ${params})
endfunction()
add_lstmbench(default)
add_lstmbench(large1024)
