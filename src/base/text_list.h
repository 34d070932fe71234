// Comma-separated lists as the configuration and the management door carry them
// ("tpg1,tpg2", "10.0.0.1:3205,[::1]").
//
// Thread-safety: pure functions.
#ifndef OPENSTMF_BASE_TEXT_LIST_H
#define OPENSTMF_BASE_TEXT_LIST_H

#include <string>
#include <string_view>
#include <vector>

namespace openstmf {

// The non-empty items of a comma-separated list, in order.
std::vector<std::string> SplitList(std::string_view text);
// The items joined with commas.
std::string JoinList(const std::vector<std::string>& items);

}  // namespace openstmf

#endif  // OPENSTMF_BASE_TEXT_LIST_H
