#pragma once
// Topic names of PRODUCT.md ("P" = topic_prefix, "C" = camera key).
#include <string>
#include <string_view>

#include "model/category.h"

namespace cam2mqtt::encode {

std::string bridge_state_topic(std::string_view prefix);            // P/bridge/state
std::string camera_topic(std::string_view prefix, std::string_view camera_key,
                         std::string_view leaf);                     // P/C/leaf
std::string category_topic(std::string_view prefix, std::string_view camera_key,
                           model::Category c);                       // P/C/<category>
// P/C/<category>/image/source or .../image/target
std::string image_topic(std::string_view prefix, std::string_view camera_key, model::Category c,
                        std::string_view which);

} // namespace cam2mqtt::encode
