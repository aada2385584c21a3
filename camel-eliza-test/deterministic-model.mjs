// A model plugin that replaces the LLM with a pure function of the prompt, so agents answer
// deterministically: the reply to a message M is "<AgentName> echoes: M"; a message containing "[ignore]" gets no
// answer (the agent IGNOREs it). When the server asks for a stream, the answer comes in chunks of 16 characters.
// Two more markers, for tests of timing and of turns with more than one message (M is always the full text,
// markers included; messages without markers are answered exactly as before):
//   "[slow:N]"  the agent thinks N ms longer: the model sleeps N ms before it answers the message-handler prompt
//               (the one that produces the reply; not the should-respond prompt), then answers "<AgentName> echoes: M".
//   "[slowchunks:N]"  when the server asks for a stream, the model waits N ms before each chunk but the first, so a
//               streamed answer (transport=sse, messageStreamChunk) takes a while to arrive: a test can stop the server
//               in the middle of it. Without a stream it changes nothing.
//   "[twice]"   the agent posts two messages in one turn, the way a real agent does: the model plans the actions
//               REPLY,FOLLOW_UP; REPLY posts "<AgentName> echoes: M", then FOLLOW_UP (an action of this plugin) waits
//               1500 ms and posts "<AgentName> adds: M". Both are answers to M (same inReplyToRootMessageId).
// "[ignore]" wins over the others.
//
// What the agent answers (the "answer" of an agent in --agents-file; the markers above work with every kind):
//   {"kind":"echo"}                                  "<AgentName> echoes: M" (the default)
//   {"kind":"fixed","text":"T"}                      always T
//   {"kind":"script","source":"return ..."}         the body of a JavaScript function of (prompt, agentName)
//                                                    returning the answer (a string, or a promise of one)
//   {"kind":"table","rules":[{"pattern":"re","answer":"A"}],"otherwise":{...}}
//                                                    A of the first rule whose regular expression (case-insensitive)
//                                                    finds a match in M, with $1..$9 replaced by its groups; no
//                                                    match: the "otherwise" answer (default echo)
//   {"kind":"tools","rules":[{"pattern":"re","server":"S","tool":"T","arguments":{...}}],"otherwise":{...}}
//                                                    calls tool T of the agent's MCP server S with the arguments
//                                                    ($1..$9 the groups) and answers its output; see mcp-tools.mjs
// An agent with MCP servers ("mcp" in --agents-file, see harness.mjs) runs in elizaOS's multi-step mode, whatever its
// kind: "[ignore]" is then honoured only where the server asks whether to respond (group channels), "[slow:N]" delays
// the summary (the prompt that produces the reply), and "[twice]" adds no second message.
import fs from 'node:fs';
import { conversationMessage, isMultiStepPrompt, SUMMARY_PROMPT, toolCaller } from './mcp-tools.mjs';

const PROMPT_LOG = process.env.ELIZA_TEST_PROMPT_LOG;

/** How long the FOLLOW_UP action of a "[twice]" turn waits before it posts the second message. */
export const FOLLOW_UP_DELAY_MS = 1500;

function escapeXml(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The newest message in the prompt's conversation, as the bootstrap plugin formats it. */
export function newestMessage(prompt) {
  const marker = prompt.match(/# Received Message\s*\n([^\n]*)\n?/);
  if (marker) {
    return stripSpeaker(marker[1]);
  }
  return '';
}

function stripSpeaker(line) {
  // "Name: text" or "(time) [id] Name: text"
  const m = line.match(/^(?:.*?\]\s*)?[^:\n]{1,80}:\s(.*)$/);
  return (m ? m[1] : line).trim();
}

/** The N of a "[slow:N]" marker, or 0. */
function slowMillis(message) {
  const m = message.match(/\[slow:(\d+)\]/);
  return m ? Number.parseInt(m[1], 10) : 0;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The bootstrap plugin's prompts: the message handler's (plans actions and writes the reply) and the REPLY action's
// (writes the text of a reply that is one of several planned actions; 1.4 reads <message>, 1.7 reads <text>).
const MESSAGE_HANDLER_PROMPT = /^\s*<task>Generate dialog and actions for the character/;
const REPLY_ACTION_PROMPT = /^\s*# Task: Generate dialog for the character/;

/** The N of a "[slowchunks:N]" marker, or 0. */
function slowChunkMillis(message) {
  const m = message.match(/\[slowchunks:(\d+)\]/);
  return m ? Number.parseInt(m[1], 10) : 0;
}

async function* chunked(text, size, pauseMillis = 0) {
  for (let i = 0; i < text.length; i += size) {
    if (i > 0 && pauseMillis > 0) {
      await sleep(pauseMillis);
    }
    yield text.slice(i, i + size);
  }
}

/** The second message of a "[twice]" turn: waits, then calls back once (one message per action, as elizaOS wants). */
function followUpAction(agentName) {
  return {
    name: 'FOLLOW_UP',
    similes: [],
    description: `Adds a second message ${FOLLOW_UP_DELAY_MS} ms after the reply (deterministic test agent, "[twice]")`,
    examples: [],
    // offered only when the message asks for it, so the prompts of every other message stay as they were
    validate: async (_runtime, message) => String(message?.content?.text ?? '').includes('[twice]'),
    handler: async (_runtime, message, _state, _options, callback) => {
      await sleep(FOLLOW_UP_DELAY_MS);
      const text = `${agentName} adds: ${String(message?.content?.text ?? '').trim()}`;
      if (callback) {
        await callback({ text, actions: ['FOLLOW_UP'] });
      }
      return { text, values: { success: true }, data: { actionName: 'FOLLOW_UP' }, success: true };
    },
  };
}

/** The text of the agent's answer to message M, as its "answer" spec says. */
export function answerer(agentName, spec) {
  const kind = spec?.kind ?? 'echo';
  switch (kind) {
    case 'echo':
      return async (message) => `${agentName} echoes: ${message}`;
    case 'fixed':
      return async () => String(spec.text);
    case 'script': {
      const fn = new Function('prompt', 'agentName', spec.source);
      return async (message) => String(await fn(message, agentName));
    }
    case 'table': {
      const rules = (spec.rules ?? []).map((r) => {
        try {
          return { re: new RegExp(r.pattern, 'i'), answer: String(r.answer) };
        } catch (e) {
          throw new Error(`Agent ${agentName}: the pattern /${r.pattern}/ is not a JavaScript regular expression: ${e.message}`);
        }
      });
      const otherwise = answerer(agentName, spec.otherwise);
      return async (message) => {
        for (const { re, answer } of rules) {
          const m = message.match(re);
          if (m) {
            return answer.replace(/\$(\d)/g, (_, i) => m[Number(i)] ?? '');
          }
        }
        return otherwise(message);
      };
    }
    case 'tools':
      // the text answer of a message that calls no tool (the tool calls themselves are mcp-tools.mjs's)
      return answerer(agentName, spec.otherwise);
    default:
      throw new Error(`Unknown answer kind '${kind}' for agent ${agentName}: echo, fixed, script, table or tools`);
  }
}

export function deterministicModelPlugin(agentName, answerSpec) {
  const reply = answerer(agentName, answerSpec);
  const callTools = toolCaller(agentName, answerSpec, reply);
  const answer = async (_runtime, params) => {
    const prompt = typeof params === 'string' ? params : (params?.prompt ?? '');
    if (PROMPT_LOG) {
      fs.appendFileSync(PROMPT_LOG, `\n===== ${new Date().toISOString()}\n${prompt}\n`);
    }
    // the multi-step mode's prompts carry the message only in their conversation, not as "# Received Message"
    const multiStep = isMultiStepPrompt(prompt);
    const message = multiStep ? conversationMessage(prompt) : newestMessage(prompt);
    // a message that contains "[ignore]" is one the agent decides not to answer
    const ignore = message.includes('[ignore]');
    if (prompt.includes('should respond to the message')) {
      const action = ignore ? 'IGNORE' : 'RESPOND';
      return `<response><name>${agentName}</name><reasoning>deterministic test agent</reasoning><action>${action}</action></response>`;
    }
    const slow = slowMillis(message);
    if (slow > 0 && (MESSAGE_HANDLER_PROMPT.test(prompt) || SUMMARY_PROMPT.test(prompt))) {
      await sleep(slow);
    }
    if (ignore && !multiStep) {
      return (
        `<response><name>${agentName}</name><reasoning>told to ignore</reasoning><action>IGNORE</action>` +
        `<thought>ignoring</thought><actions>IGNORE</actions><providers></providers><text></text></response>`
      );
    }
    const text = multiStep ? '' : await reply(message);
    let xml;
    if (multiStep) {
      // the multi-step mode cannot leave a message unanswered once it runs: "[ignore]" acts in should-respond only
      xml = await callTools(prompt, message);
    } else if (REPLY_ACTION_PROMPT.test(prompt)) {
      // the REPLY action of a turn with several actions ("[twice]") asks for the reply's text alone
      xml =
        '<response><thought>echoing the newest message</thought>' +
        `<text>${escapeXml(text)}</text><message>${escapeXml(text)}</message></response>`;
    } else {
      const actions = message.includes('[twice]') ? 'REPLY,FOLLOW_UP' : 'REPLY';
      xml =
        '<response>' +
        `<name>${agentName}</name><reasoning>echo</reasoning><action>RESPOND</action>` +
        `<thought>echoing the newest message</thought><actions>${actions}</actions><providers></providers>` +
        `<text>${escapeXml(text)}</text>` +
        '</response>';
    }
    if (params?.stream === true) {
      // elizaOS 1.7 streams when the caller asks for it: the server relays the text as messageStreamChunk events
      return { textStream: chunked(xml, 16, slowChunkMillis(message)) };
    }
    return xml;
  };
  return {
    name: 'deterministic-model',
    description: 'Deterministic model handlers for tests: no LLM',
    priority: 1000,
    models: {
      TEXT_SMALL: answer,
      TEXT_LARGE: answer,
      TEXT_EMBEDDING: async () => new Array(384).fill(0),
    },
    actions: [followUpAction(agentName)],
  };
}
