export { createChallengeGenerator, templateChallengeText } from './generator';
export type { Challenge, ChallengeObjectiveTemplate, ChallengeReward, ChallengeText, DifficultyRange, ChallengeGenerator, ChallengeGeneratorOptions, ChallengeObjective, ChallengePlayerProfile, ChallengeTextGenerator, ChallengeTextInput } from './generator';
