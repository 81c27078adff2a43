#include "lstm/fast_model.hpp"

#include <string>

#include "lstm/error.hpp"

namespace lstm {

FastRun run_fast(const Model& m, const ArchConfig& a, const ImageSet& images, size_t count, uint64_t sink_hold) {
  FastRun r;
  r.results.reserve(count);
  for (size_t n = 0; n < count; ++n) r.results.push_back(infer(m, images.image(n)));
  r.schedule = schedule(a, count, sink_hold);
  if (!r.schedule.exact)
    throw InputError("sink hold " + std::to_string(sink_hold) + " with T = 1: the result consumer is so slow that "
                     "S-P-H stalls the EWU, which the fast model does not model; use --level ca");
  r.mvm_beats = uint64_t(count) * a.T * a.blocks() * (a.w_beats() + a.u_beats());
  return r;
}

}  // namespace lstm
