export { createChallengeGenerator, templateChallengeText } from './generator';
export type { Challenge, ChallengeGenerator, ChallengeGeneratorOptions, ChallengeObjective, ChallengePlayerProfile, ChallengeTextGenerator, ChallengeTextInput } from './generator';
