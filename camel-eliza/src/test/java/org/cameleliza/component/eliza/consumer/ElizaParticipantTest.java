package org.cameleliza.component.eliza.consumer;

import org.cameleliza.component.eliza.ElizaConfiguration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a participant answers: never itself, agents and other participants only when told, and as replyFilter says.
 */
class ElizaParticipantTest {

    private static final String ME = "58d86ff9-08ea-3547-80c4-880bf185e255";
    private static final String USER = "e889e59c-b882-4cfc-ae51-cb39bc5a9414";
    private static final String AGENT = "b850bc30-45f8-0041-a00a-83df46d8555d";

    private static ElizaConfiguration config(String filter, boolean replyToAgents) {
        ElizaConfiguration config = new ElizaConfiguration();
        config.setReply(true);
        config.setSenderName("Desk");
        config.setReplyFilter(filter);
        config.setReplyToAgents(replyToAgents);
        config.setAgentId(AGENT);
        return config;
    }

    @Test
    void neverItsOwnMessages() {
        assertThat(ElizaParticipant.answers(config("all", true), ME, ME, "camel_reply", "hi")).isFalse();
        assertThat(ElizaParticipant.answers(config("all", true), ME, ME.toUpperCase(), "camel", "hi")).isFalse();
        assertThat(ElizaParticipant.answers(config("all", false), ME, null, "camel", "hi")).isFalse();
    }

    @Test
    void agentsAndOtherParticipantsOnlyWithReplyToAgents() {
        ElizaConfiguration off = config("all", false);
        assertThat(ElizaParticipant.answers(off, ME, USER, "camel", "hi")).isTrue();
        assertThat(ElizaParticipant.answers(off, ME, AGENT, "agent_response", "hi")).isFalse();
        assertThat(ElizaParticipant.answers(off, ME, AGENT, null, "hi")).isFalse();
        assertThat(ElizaParticipant.answers(off, ME, USER, "agent_response", "hi")).isFalse();
        assertThat(ElizaParticipant.answers(off, ME, USER, "camel_reply", "hi")).isFalse();
        ElizaConfiguration on = config("all", true);
        assertThat(ElizaParticipant.answers(on, ME, AGENT, "agent_response", "hi")).isTrue();
        assertThat(ElizaParticipant.answers(on, ME, USER, "camel_reply", "hi")).isTrue();
    }

    @Test
    void mentionsAnywhereAsAWordOfItsOwn() {
        ElizaConfiguration mentions = config("mentions", false);
        assertThat(ElizaParticipant.answers(mentions, ME, USER, "camel", "Is @desk there?")).isTrue();
        assertThat(ElizaParticipant.answers(mentions, ME, USER, "camel", "@Desk")).isTrue();
        assertThat(ElizaParticipant.answers(mentions, ME, USER, "camel", "@Desktop broke, @DESK help")).isTrue();
        assertThat(ElizaParticipant.answers(mentions, ME, USER, "camel", "ask " + ME.toUpperCase())).isTrue();
        assertThat(ElizaParticipant.answers(mentions, ME, USER, "camel", "@Desktop is broken")).isFalse();
        assertThat(ElizaParticipant.answers(mentions, ME, USER, "camel", "the desk is here")).isFalse();
        assertThat(ElizaParticipant.answers(mentions, ME, USER, "camel", null)).isFalse();
        assertThat(ElizaParticipant.answers(mentions, ME, AGENT, "agent_response", "@Desk")).isFalse();
    }

    @Test
    void addressedWhenTheTextStartsWithTheMention() {
        ElizaConfiguration addressed = config("addressed", false);
        assertThat(ElizaParticipant.answers(addressed, ME, USER, "camel", "@Desk, where is my parcel?")).isTrue();
        assertThat(ElizaParticipant.answers(addressed, ME, USER, "camel", "  @desk where")).isTrue();
        assertThat(ElizaParticipant.answers(addressed, ME, USER, "camel", "Is @Desk there?")).isFalse();
        assertThat(ElizaParticipant.answers(addressed, ME, USER, "camel", "@Desktop")).isFalse();
        assertThat(ElizaParticipant.answers(addressed, ME, USER, "camel", null)).isFalse();
    }
}
