// A model plugin that replaces the LLM with a pure function of the prompt, so agents answer
// deterministically: the reply to a message M is "<AgentName> echoes: M"; a message containing "[ignore]" gets no
// answer (the agent IGNOREs it). When the server asks for a stream, the answer comes in chunks of 16 characters.
import fs from 'node:fs';

const PROMPT_LOG = process.env.ELIZA_TEST_PROMPT_LOG;

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

async function* chunked(text, size) {
  for (let i = 0; i < text.length; i += size) {
    yield text.slice(i, i + size);
  }
}

export function deterministicModelPlugin(agentName) {
  const answer = async (_runtime, params) => {
    const prompt = typeof params === 'string' ? params : (params?.prompt ?? '');
    if (PROMPT_LOG) {
      fs.appendFileSync(PROMPT_LOG, `\n===== ${new Date().toISOString()}\n${prompt}\n`);
    }
    const message = newestMessage(prompt);
    // a message that contains "[ignore]" is one the agent decides not to answer
    const ignore = message.includes('[ignore]');
    if (prompt.includes('should respond to the message')) {
      const action = ignore ? 'IGNORE' : 'RESPOND';
      return `<response><name>${agentName}</name><reasoning>deterministic test agent</reasoning><action>${action}</action></response>`;
    }
    if (ignore) {
      return (
        `<response><name>${agentName}</name><reasoning>told to ignore</reasoning><action>IGNORE</action>` +
        `<thought>ignoring</thought><actions>IGNORE</actions><providers></providers><text></text></response>`
      );
    }
    const text = `${agentName} echoes: ${message}`;
    const xml =
      '<response>' +
      `<name>${agentName}</name><reasoning>echo</reasoning><action>RESPOND</action>` +
      `<thought>echoing the newest message</thought><actions>REPLY</actions><providers></providers>` +
      `<text>${escapeXml(text)}</text>` +
      '</response>';
    if (params?.stream === true) {
      // elizaOS 1.7 streams when the caller asks for it: the server relays the text as messageStreamChunk events
      return { textStream: chunked(xml, 16) };
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
  };
}
