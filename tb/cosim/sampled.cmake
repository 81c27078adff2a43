# Cosimulation over sampled configs (docs/rtl.md, "Sampled
# configs"; included from CMakeLists.txt). At configure time `lstm-arch
# --sample` draws valid configs from the whole space (arch/sample.hpp); the
# seed is new at every configure (a fresh CI clone: every run) unless
# COSIM_SEED is set in the environment or the cache.
#
# - Block cosims: COSIM_SAMPLED_BLOCK_CONFIGS configs; each is one Verilated
#   model holding every block of the config's layer i mod L
#   (sampled_wrapper.py) and one test executable (sampled_cosim.cpp) with
#   every block's test, COSIM_SAMPLED_CYCLES compared cycles each.
# - Top cosims: COSIM_SAMPLED_TOP_CONFIGS further configs (indices after
#   the block ones), the config's RTL top against the SystemC top, a random
#   model and images, random source gaps and sink stalls.
# Label cosim (`ctest -R sampled -LE long` runs these alone); the nightly set is
# scripts/cosim_sampled.sh (label long).
set(COSIM_SAMPLED_BLOCK_CONFIGS 8 CACHE STRING "sampled configs for the block cosims")
set(COSIM_SAMPLED_TOP_CONFIGS 3 CACHE STRING "sampled configs for the top cosims")
set(COSIM_SAMPLED_CYCLES 100000 CACHE STRING "compared cycles per block of a sampled config")
set(COSIM_SAMPLED_IMAGES 12 CACHE STRING "images per sampled top cosim")
if(DEFINED ENV{COSIM_SEED})
  set(seed $ENV{COSIM_SEED})
elseif(COSIM_SEED)
  set(seed ${COSIM_SEED})
else()
  string(RANDOM LENGTH 8 ALPHABET 123456789 seed)
endif()
set(dir ${CMAKE_CURRENT_BINARY_DIR}/sampled)
math(EXPR n "${COSIM_SAMPLED_BLOCK_CONFIGS} + ${COSIM_SAMPLED_TOP_CONFIGS}")
file(REMOVE_RECURSE ${dir})
execute_process(COMMAND ${LSTM_ARCH_TOOL} --sample ${seed} --count ${n} --out ${dir}
  RESULT_VARIABLE rc OUTPUT_VARIABLE coverage ERROR_VARIABLE err)
if(rc)
  message(FATAL_ERROR "lstm-arch --sample: ${err}")
endif()
message(STATUS "Sampled-config cosims: seed ${seed} (set COSIM_SEED=${seed} to draw the same configs again); "
  "${COSIM_SAMPLED_BLOCK_CONFIGS} block configs, ${COSIM_SAMPLED_TOP_CONFIGS} top configs\n${coverage}")
# What the block cosims' configs cover (scripts/test.sh prints it).
execute_process(COMMAND ${LSTM_ARCH_TOOL} --sample ${seed} --count ${COSIM_SAMPLED_BLOCK_CONFIGS}
  OUTPUT_FILE ${dir}/coverage.txt)
add_custom_target(cosim_sampled_all)

# sampled_blocks(<i>): the block cosims of config i.
function(sampled_blocks i)
  set(cfg ${dir}/sampled${i}.json)
  set(view ${dir}/sampled${i}.layer.json)
  file(READ ${dir}/sampled${i}.layer_flags.json flags)
  string(JSON words_in GET "${flags}" WORDS_IN)
  string(JSON stream GET "${flags}" STREAM)
  arch_json(${view} j)
  foreach(p I H T CLASSES C K LANES GROUPS EWU_LANES FC_LANES PIX_PER_BEAT SPX_BUFFERS)
    string(JSON ${p} GET "${j}" rtl_params ${p})
  endforeach()
  string(JSON CNN_IN ERROR_VARIABLE no_cnn GET "${j}" rtl_params CNN_IN)
  string(JSON EWU_BEATS GET "${j}" derived EWU_BEATS)
  string(JSON CONV_PC GET "${j}" derived CONV_PC)
  # block:NAME=VALUE,... (commas: the items are a CMake list)
  set(lstm I=${I},H=${H},T=${T},C=${C},K=${K},LANES=${LANES},GROUPS=${GROUPS})
  set(blocks
    controller:${lstm} kmux:${lstm} mvm:${lstm} ewu:${lstm},EWU_LANES=${EWU_LANES}
    fifo_c:DEPTH=${EWU_BEATS},WIDTH=${EWU_LANES} sph:H=${H},EWU_LANES=${EWU_LANES},STREAM=${stream}
    wmem:I=${I},H=${H},CLASSES=${CLASSES},C=${C},K=${K},LANES=${LANES},GROUPS=${GROUPS},EWU_LANES=${EWU_LANES},FC_LANES=${FC_LANES}
    fc:H=${H},C=${C},K=${K},CLASSES=${CLASSES},FC_LANES=${FC_LANES} argmax:CLASSES=${CLASSES})
  if(NOT no_cnn AND CNN_IN GREATER 0)
    string(JSON CONV_LANES GET "${j}" rtl_params CONV_LANES)
    list(PREPEND blocks conv1d:CNN_IN=${CNN_IN},CONV_LANES=${CONV_LANES},PIX_PER_BEAT=${PIX_PER_BEAT},I=${I},T=${T},WORDS_IN=${words_in}
      relu:CH_PER_BEAT=${CONV_PC} maxpool:I=${I},CH_PER_BEAT=${CONV_PC},SPX_BUFFERS=${SPX_BUFFERS})
  else()
    list(PREPEND blocks spx:I=${I},PIX_PER_BEAT=${PIX_PER_BEAT},SPX_BUFFERS=${SPX_BUFFERS},WORDS_IN=${words_in})
  endif()
  # Every block's parameters (and what they derive) as the test's COSIM_ defines;
  # one config, so a name means the same in every block.
  set(specs)
  set(defs)
  set(sources ${CMAKE_CURRENT_BINARY_DIR}/sampled/blocks${i}.v)
  foreach(b ${blocks})
    list(APPEND specs ${b})
    string(REGEX MATCH "^[a-z0-9_]+" name "${b}")
    string(REGEX REPLACE "^[a-z0-9_]+:" "" params "${b}")
    string(REPLACE "," ";" params "${params}")
    list(APPEND sources ${PROJECT_SOURCE_DIR}/rtl/${name}.v)
    list(APPEND defs COSIM_WITH_${name} ${params})
    if(EXISTS ${PROJECT_SOURCE_DIR}/rtl/derived/${name}.vh)
      arch_block_derived(derived ${params})
      list(APPEND defs ${derived})
    endif()
  endforeach()
  list(REMOVE_DUPLICATES defs)
  execute_process(COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/sampled_wrapper.py
      --verilator ${VERILATOR_BIN} --rtl ${PROJECT_SOURCE_DIR}/rtl --out ${dir}/blocks${i} --module sampled_blocks ${specs}
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(rc)
    message(FATAL_ERROR "sampled_wrapper.py (config ${cfg}): ${err}")
  endif()
  # The wrapper holds the parameters; the test bench gets them as COSIM_ defines.
  set(defs_c)
  foreach(d ${defs})
    if(d MATCHES "^COSIM_WITH_")
      list(APPEND defs_c ${d})
    else()
      list(APPEND defs_c COSIM_${d})
    endif()
  endforeach()
  list(REMOVE_DUPLICATES sources)
  cosim_variant(sampled sampled${i} CYCLES ${COSIM_SAMPLED_CYCLES} TOP sampled_blocks SOURCES ${sources}
    DEFS RTL_PORTS_HEADER="${dir}/blocks${i}_ports.h" COSIM_SAMPLED_CONFIG="${cfg}" COSIM_SAMPLED_SEED=${seed}ull
      COSIM_ARCH="${view}" ${defs_c})
  add_dependencies(cosim_sampled_all cosim_sampled_sampled${i})
endfunction()

foreach(i RANGE 0 ${COSIM_SAMPLED_BLOCK_CONFIGS})
  if(i LESS COSIM_SAMPLED_BLOCK_CONFIGS)
    sampled_blocks(${i})
  endif()
endforeach()
# Top cosims: configs after the block ones, a random model (seed from the
# sample's) and random images, source gaps 0.2 and sink stalls 0.4.
foreach(t RANGE 1 ${COSIM_SAMPLED_TOP_CONFIGS})
  if(t LESS_EQUAL COSIM_SAMPLED_TOP_CONFIGS)
    math(EXPR i "${COSIM_SAMPLED_BLOCK_CONFIGS} + ${t} - 1")
    math(EXPR mseed "(${seed} + ${i}) % 1000000007")
    top_variant(sampled${i} ${dir}/sampled${i}.json ${COSIM_SAMPLED_IMAGES} 0.2 0.4 RANDOM ${mseed}
      DEFS COSIM_SAMPLED_CONFIG="${dir}/sampled${i}.json" COSIM_SAMPLED_SEED=${seed}ull)
    add_dependencies(cosim_sampled_all cosim_lstm_accel_sampled${i})
  endif()
endforeach()

# The nightly set (label long): 200 block configs and 30 tops in a build
# tree of their own, beside this one.
add_test(NAME cosim.sampled.nightly COMMAND env BUILD_DIR=${CMAKE_BINARY_DIR}-sampled
  bash ${PROJECT_SOURCE_DIR}/scripts/cosim_sampled.sh 200 30)
set_tests_properties(cosim.sampled.nightly PROPERTIES LABELS long TIMEOUT 36000)
