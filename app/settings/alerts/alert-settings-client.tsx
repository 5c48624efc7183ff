"use client";

import { ChannelsSection } from "@/components/alerts/channels-section";
import { RulesSection } from "@/components/alerts/rules-section";
import { SilencesSection } from "@/components/alerts/silences-section";

export function AlertSettingsClient() {
  return (
    <div className="space-y-8">
      <RulesSection />
      <ChannelsSection />
      <SilencesSection />
    </div>
  );
}
