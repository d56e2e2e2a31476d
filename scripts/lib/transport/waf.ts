// CloudFront's WAF in front of the AWS port blocks a client address past its rate
// rule with a 403 of its own: `Server: CloudFront`, `X-Cache: Error from cloudfront`
// and a "Request blocked" page. Such an answer says nothing about the API, so it is
// told apart from the API's own errors and explained once, in the summary.

// The port's rate-based rule (spec section 1, its Terraform): per client address, in WAFv2's 5-minute window.
export const PORT_WAF_LIMIT = 2000;
export const PORT_WAF_WINDOW_MINUTES = 5;

/** Whether an answer is CloudFront's WAF block page rather than the API's. Pure. */
export function isWafBlock(status: number, server: string, xCache: string, body: string): boolean {
  if (status !== 403) return false;
  return /^cloudfront$/i.test(server.trim()) || /^error from cloudfront/i.test(xCache.trim()) || /request blocked/i.test(body);
}

/** The summary's explanation when the WAF blocked requests; empty when it blocked none. Pure. */
export function wafLines(blocked: number, httpUrl: string): string[] {
  if (blocked === 0) return [];
  const perSecond = Math.round(PORT_WAF_LIMIT / (PORT_WAF_WINDOW_MINUTES * 60));
  return [
    '',
    `WAF: CloudFront's WAF in front of ${hostOf(httpUrl)} blocked this runner's address: ${blocked} requests answered 403 "Request blocked" (counted in opensaves_waf_blocked, not as API errors).`,
    `  The AWS port's rate rule allows ${thousands(PORT_WAF_LIMIT)} requests per ${PORT_WAF_WINDOW_MINUTES} minutes from one address (about ${perSecond}/s); that is the port's default,`,
    "  not read from the answer: the limit is the rate-based rule of the port's CloudFront web ACL (its Terraform), where it can be changed.",
    "  To load-test through CloudFront, allow-list the runners' egress addresses in the WAF (infra/: OS_INFRA_LOAD_EGRESS_CIDRS, or cluster-nat,",
    "  with OS_INFRA_WAF_WEB_ACL_ARN; see infra/README.md, WAF allow-list), or point OPEN_SAVES_HTTP_URL at the load balancer behind CloudFront directly.",
  ];
}

// k6's JavaScript runtime has no locale formatting.
function thousands(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+$)/g, ',');
}

function hostOf(url: string): string {
  return /^https?:\/\/([^/]+)/.exec(url)?.[1] ?? url;
}
