// Stage: shared (data). Matching ARNs and Resource patterns against the ARN forms of the
// catalogue ("arn:${Partition}:s3:::${BucketName}/${ObjectName}").
//
// A ${...} placeholder of a form stands for one or more characters:
// - in the partition, service, region and account fields, any but ':';
// - when it is the whole resource part (${BucketName}, ${QueueName}, ${TopicName}), any but
//   ':' and '/': these names hold neither, and this keeps a bucket from looking like an object;
// - as the last piece of a longer resource part (key/${KeyId}, role/${RoleNameWithPath},
//   ${BucketName}/${ObjectName}), anything: object keys and paths hold '/' and ':';
// - elsewhere in the resource part, any but ':'.
#pragma once

#include <string_view>

namespace iamsim::catalog {

// Does the form admit the text? A concrete ARN is matched as written; a policy's Resource
// pattern (pattern=true) admits the form when some ARN matches both, its `*` and `?` and
// ${...} variables standing for any text.
bool arn_format_admits(std::string_view format, std::string_view text, bool pattern);

}  // namespace iamsim::catalog
