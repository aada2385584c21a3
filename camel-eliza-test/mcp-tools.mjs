// The deterministic model of an agent that calls MCP tools (answer kind "tools", see deterministic-model.mjs): the
// test says which tool of which MCP server a message calls, with which arguments, and the agent calls it through the
// official @elizaos/plugin-mcp, then posts one answer with the tool's output.
//
//   {"kind":"tools","rules":[{"pattern":"re","server":"orders","tool":"lookupOrder","arguments":{"orderId":"$1"}}],
//    "otherwise":{...}}
//
// The first rule whose regular expression (case-insensitive) finds a match in the message M decides; $1..$9 in the
// arguments' strings (nested ones too) are replaced by the match's groups. A message no rule matches is answered with
// the "otherwise" answer (default echo). Such an agent runs in elizaOS's multi-step mode (harness.mjs sets
// USE_MULTI_STEP for agents with MCP servers), where the model is asked, in this order (core 1.7.2):
//   should respond   (group channels only) RESPOND, or IGNORE for "[ignore]"
//   decision         "<task>\nDetermine the next step": the rule's action with its <parameters>, isFinish=false; once
//                    "# Previous Action Results" lists that action (or no rule matches, or the agent has no action for
//                    the tool): isFinish=true
//   summary          "<task>\nSummarize what the assistant has done so far": the <text> the agent posts, built from the
//                    action's result: the tool's output as it is, or "<server>/<tool> failed: <error text>" when the
//                    tool answered isError
// A plain "answer" string cannot carry a tool call: elizaOS runs the tool only in multi-step mode, between two model
// calls, so this module answers those calls instead of producing one reply.

/** The first model call of a multi-step turn: which action to run next, or that the turn is done. */
export const DECISION_PROMPT = /^\s*<task>\s*Determine the next step/;
/** The last model call of a multi-step turn: the text the agent posts. */
export const SUMMARY_PROMPT = /^\s*<task>\s*Summarize what the assistant has done so far/;

/** Whether the prompt is one of the multi-step mode's (decision or summary). */
export function isMultiStepPrompt(prompt) {
  return DECISION_PROMPT.test(prompt) || SUMMARY_PROMPT.test(prompt);
}

const escapeXml = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// "HH:MM (just now) [<entity id>] Name: text": how core formats a message of the conversation (RECENT_MESSAGES)
const MESSAGE_HEADER = /^.*?\[[0-9a-f-]{36}\]\s[^:\n]{1,80}:\s/gm;

/**
 * The newest message of a multi-step prompt's "# Conversation Messages": the user's (the agent's own earlier answers
 * come before it), without the "(Agent's internal thought: ...)" lines core appends in the summary prompt. A message
 * of several lines is kept whole.
 */
export function conversationMessage(prompt) {
  const start = prompt.indexOf('# Conversation Messages\n');
  if (start < 0) {
    return '';
  }
  const end = prompt.indexOf('\n# ', start + 1);
  const block = prompt.slice(start + '# Conversation Messages\n'.length, end < 0 ? prompt.length : end);
  let last = null;
  for (const m of block.matchAll(MESSAGE_HEADER)) {
    last = m;
  }
  if (!last) {
    return '';
  }
  return block.slice(last.index + last[0].length)
    .replace(/(\n\([^\n]*'s internal thought: [^\n]*\)\s*)+$/, '')
    .trim();
}

/**
 * The action plugin-mcp made of `tool` of `server`, as the decision prompt lists it ("## ORDERS_LOOKUPORDER", its
 * description ending "(MCP: orders/lookupOrder)"): read from the prompt rather than recomputed, because the plugin
 * adds a suffix when two tools map to one name. Null when the agent has no such action (server down, no such tool).
 */
export function offeredAction(prompt, server, tool) {
  const marker = `(MCP: ${server}/${tool})`;
  for (const section of prompt.split(/\n## /).slice(1)) {
    const newline = section.indexOf('\n');
    if (newline > 0 && section.includes(marker)) {
      return section.slice(0, newline).trim();
    }
  }
  return null;
}

/**
 * The entries of a prompt's "# Previous Action Results" (core 1.7.2: "**N. ACTION** - Success|Failed", then
 * "   Output: ...", "   Error: ..." and "   Values:" lines): [{action, success, output, error}]. A successful tool's
 * output is read from its JSON-encoded "output" value, exact even over several lines; a failed one's from its
 * Output/Error text (core writes the tool's text twice there).
 */
export function actionResults(prompt) {
  const start = prompt.indexOf('# Previous Action Results\n');
  if (start < 0) {
    return [];
  }
  const rest = prompt.slice(start);
  const end = rest.search(/\n(?:<keys>|# Assistant.s Last Reasoning Step)/);
  const section = end < 0 ? rest : rest.slice(0, end);
  const parts = section.split(/^\*\*\d+\. (.+?)\*\* - (Success|Failed)$/m);
  const results = [];
  for (let i = 1; i < parts.length; i += 3) {
    const body = (parts[i + 2] ?? '').replace(/\s+$/, '');
    const json = body.match(/^ {3}- output: (".*")$/m);
    results.push({
      action: parts[i].trim(),
      success: parts[i + 1] === 'Success',
      output: json ? JSON.parse(json[1]) : outputText(body),
      error: errorText(body),
    });
  }
  return results;
}

function outputText(body) {
  const m = body.match(/^\n? {3}Output: ([\s\S]*?)(?:\n {3}(?:Error|Values):[\s\S]*)?$/);
  return m ? m[1] : '';
}

/** The Error text of a failed entry; core repeats the Output there, which tells where the Error part starts. */
function errorText(body) {
  for (const re of [/^\n? {3}Output: ([\s\S]*)\n {3}Error: ([\s\S]*)$/, /^\n? {3}Output: ([\s\S]*?)\n {3}Error: ([\s\S]*)$/]) {
    const m = body.match(re);
    if (m && m[1] === m[2]) {
      return m[2];
    }
  }
  const only = body.match(/\n? {3}Error: ([\s\S]*)$/);
  return only ? only[1] : '';
}

/** {@code value} with $1..$9 in every string (nested ones too) replaced by the match's groups. */
function substitute(value, match) {
  if (typeof value === 'string') {
    return value.replace(/\$(\d)/g, (_, i) => match[Number(i)] ?? '');
  }
  if (Array.isArray(value)) {
    return value.map((v) => substitute(v, match));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, match)]));
  }
  return value;
}

const FINISH =
  '<response><thought>done</thought><action></action><parameters>{}</parameters><providers></providers>' +
  '<isFinish>true</isFinish></response>';

/**
 * The multi-step answers of agent {@code agentName} whose answer spec is {@code spec} ("tools", or any other kind for
 * an agent with MCP servers and no rule); {@code otherwise} answers a message no rule matches (a function of M).
 * Returns {@code answer(prompt, message)}: the model's answer to a decision or summary prompt.
 */
export function toolCaller(agentName, spec, otherwise) {
  const rules = (spec?.kind === 'tools' ? spec.rules ?? [] : []).map((r) => {
    try {
      return { ...r, re: new RegExp(r.pattern, 'i') };
    } catch (e) {
      throw new Error(`Agent ${agentName}: the pattern /${r.pattern}/ is not a JavaScript regular expression: ${e.message}`);
    }
  });
  const ruleFor = (message) => {
    for (const rule of rules) {
      const match = message.match(rule.re);
      if (match) {
        return { rule, match };
      }
    }
    return null;
  };

  const decide = (prompt, message) => {
    const hit = ruleFor(message);
    const action = hit && offeredAction(prompt, hit.rule.server, hit.rule.tool);
    // one call per turn: once its result is in the prompt, the turn is done and the summary posts it
    if (!action || actionResults(prompt).some((r) => r.action === action)) {
      return FINISH;
    }
    const parameters = JSON.stringify(substitute(hit.rule.arguments ?? {}, hit.match));
    return (
      `<response><thought>calling ${escapeXml(action)}</thought><action>${escapeXml(action)}</action>` +
      `<parameters>${escapeXml(parameters)}</parameters><providers></providers><isFinish>false</isFinish></response>`
    );
  };

  const summarize = async (prompt, message) => {
    const hit = ruleFor(message);
    let text;
    if (!hit) {
      text = await otherwise(message);
    } else {
      const { server, tool } = hit.rule;
      const result = actionResults(prompt).at(-1);
      if (!result) {
        text = `${agentName} could not call tool ${tool} of MCP server ${server}: the agent has no action for it (is ` +
          'the server up, and does it offer that tool?)';
      } else if (result.success) {
        text = result.output || `${server}/${tool} answered nothing`;
      } else {
        text = `${server}/${tool} failed: ${result.error || result.output}`;
      }
    }
    return `<response><thought>summarizing</thought><text>${escapeXml(text)}</text></response>`;
  };

  return async (prompt, message) => (DECISION_PROMPT.test(prompt) ? decide(prompt, message) : summarize(prompt, message));
}
