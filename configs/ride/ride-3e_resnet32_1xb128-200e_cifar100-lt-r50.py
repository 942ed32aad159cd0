# RIDE stage 1, 3 experts, imbalance factor 50 (otherwise as the IF100 config).
_base_ = './ride-3e_resnet32_1xb128-200e_cifar100-lt-r100.py'
imb_factor = 50
class_counts = [int(round(v)) if abs(v - round(v)) < 1e-9 else int(v)
                for v in [500 * (1 / imb_factor)**(i / 99) for i in range(100)]]
train_dataloader = dict(dataset=dict(imb_factor=imb_factor))
val_evaluator = dict(class_counts=class_counts)
test_evaluator = val_evaluator
